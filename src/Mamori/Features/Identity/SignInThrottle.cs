using System.Threading.RateLimiting;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;

namespace Mamori.Features.Identity;

/// <summary>
/// Failed password sign-ins, counted per client address and typed e-mail address (known or not, so the answer never tells
/// whether an account exists). After <c>MAMORI_LOCKOUT_ATTEMPTS</c> failures within <c>MAMORI_LOCKOUT_MINUTES</c> that
/// address may not try that account again until the window has passed; the account itself is never locked by strangers,
/// so nobody can lock a colleague out from elsewhere. Failures for one account from many addresses (a spread-out guessing
/// attack) make every further try for that account wait <see cref="MaxDelay"/> instead of locking it.
/// Counts are kept in memory by the framework's rate limiters (lost on restart, which only restarts the counting).
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);
    readonly PartitionedRateLimiter<string> perAddressAndAccount;
    readonly PartitionedRateLimiter<string> perAccount;
    readonly int accountAttempts;

    public SignInThrottle(IConfiguration config)
    {
        var attempts = Math.Max(1, config.GetValue("MAMORI_LOCKOUT_ATTEMPTS", 5));
        var window = TimeSpan.FromMinutes(Math.Max(1, config.GetValue("MAMORI_LOCKOUT_MINUTES", 15)));
        Window = window;
        accountAttempts = attempts * 4;
        perAddressAndAccount = Limiter(attempts, window);
        perAccount = Limiter(accountAttempts, window);
    }

    public TimeSpan Window { get; }

    static PartitionedRateLimiter<string> Limiter(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = window, SegmentsPerWindow = 5, QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>True when this address has used up its tries for this e-mail address.</summary>
    public bool IsBlocked(string? address, string email)
    {
        using var lease = perAddressAndAccount.AttemptAcquire(Key(address, email), 0);
        return !lease.IsAcquired;
    }

    /// <summary>The wait before answering a try for this account: none until many failures from anywhere, then <see cref="MaxDelay"/>.</summary>
    public TimeSpan DelayFor(string email)
    {
        var left = perAccount.GetStatistics(Normalize(email))?.CurrentAvailablePermits ?? accountAttempts;
        return left > 0 ? TimeSpan.Zero : MaxDelay;
    }

    public void Failed(string? address, string email)
    {
        perAddressAndAccount.AttemptAcquire(Key(address, email)).Dispose();
        perAccount.AttemptAcquire(Normalize(email)).Dispose();
    }

    static string Key(string? address, string email) => (address ?? "-") + "|" + Normalize(email);
    static string Normalize(string email) => (InputLimits.Cap(email.Trim(), InputLimits.Email) ?? "").ToUpperInvariant();

    public void Dispose()
    {
        perAddressAndAccount.Dispose();
        perAccount.Dispose();
    }
}

/// <summary>Checks a password against a hash of a password nobody has, so an unknown account takes as long as a real one.</summary>
public sealed class DummyPassword(IPasswordHasher<User> hasher)
{
    readonly Lazy<string> hash = new(() => hasher.HashPassword(new User(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public void Verify(string password) => hasher.VerifyHashedPassword(new User(), hash.Value, password);
}
