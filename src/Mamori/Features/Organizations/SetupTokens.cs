using System.Security.Cryptography;

namespace Mamori.Features.Organizations;

/// <summary>The one-time first-run setup token printed by the server. Held in memory: a restart issues a new one.</summary>
public sealed class SetupTokens(TimeProvider clock)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    readonly Lock gate = new();
    (byte[] Hash, DateTimeOffset Expires)? current;

    public string Issue()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        lock (gate) current = (SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)), clock.GetUtcNow() + Lifetime);
        return token;
    }

    public bool IsValid(string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        var hash = SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));
        lock (gate)
            return current is { } c && c.Expires > clock.GetUtcNow() && CryptographicOperations.FixedTimeEquals(c.Hash, hash);
    }

    public void Consume() { lock (gate) current = null; }
}
