using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Mamori.Features.Identity;

/// <summary>
/// RFC 6238 TOTP (SHA-1, 30 s, 6 digits, ±1 step of clock drift) that accepts each time step at most once:
/// a code seen once, even within its validity window, is refused (replay protection).
/// </summary>
public sealed class ReplayProtectedTotpProvider : AuthenticatorTokenProvider<User>
{
    public const string Name = "MamoriTotp";
    public static TimeProvider Clock { get; set; } = TimeProvider.System;

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<User> manager, User user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        token = token.Replace(" ", "").Replace("-", "");
        if (key is null || token.Length != 6 || !token.All(char.IsAsciiDigit)) return false;
        var step = Totp.CurrentStep(Clock);
        for (var drift = -1; drift <= 1; drift++)
        {
            var candidate = step + drift;
            if (candidate <= user.LastTotpTimeStep) continue; // already used: replay
            if (CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(Totp.Code(Totp.FromBase32(key), candidate)),
                    System.Text.Encoding.ASCII.GetBytes(token)))
            {
                user.LastTotpTimeStep = candidate;
                await manager.UpdateAsync(user);
                return true;
            }
        }
        return false;
    }
}

public static class Totp
{
    public static long CurrentStep(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeSeconds() / 30;

    public static string Code(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0xF;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6");
    }

    public static byte[] FromBase32(string base32)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = base32.Trim().TrimEnd('=').Replace(" ", "").ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var v = alphabet.IndexOf(c);
            if (v < 0) throw new FormatException("Invalid base32 character.");
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) { bytes.Add((byte)(buffer >> (bits - 8))); bits -= 8; }
        }
        return [.. bytes];
    }
}
