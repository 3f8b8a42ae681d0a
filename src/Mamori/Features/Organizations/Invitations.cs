using System.Security.Cryptography;
using System.Text;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Organizations;

public static class Invitations
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    public static (string Token, string Hash) NewToken()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        return (token, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Looks an invitation up by its secret token; the token is the authority, so this ignores the tenant filter.</summary>
    public static Task<Invitation?> FindAsync(MamoriDb db, string token) =>
        db.Invitations.IgnoreQueryFilters([MamoriDb.TenantFilter]).FirstOrDefaultAsync(i => i.TokenHash == Hash(token));
}
