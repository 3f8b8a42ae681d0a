using System.Security.Claims;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mamori.Features.Identity;

/// <summary>Adds to the sign-in cookie whether the user has a second factor and whether one is required of them.</summary>
public sealed class MamoriClaimsFactory(UserManager<User> users, IOptions<IdentityOptions> options, MamoriDb db)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    public const string HasSecondFactor = "mamori:2fa";
    public const string NeedsSecondFactor = "mamori:needs2fa";
    public const string DisplayName = "mamori:name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayName, user.DisplayName));
        if (await SecondFactor.IsEnrolledAsync(UserManager, user)) identity.AddClaim(new Claim(HasSecondFactor, "1"));
        if (await SecondFactor.IsRequiredAsync(db, user.Id)) identity.AddClaim(new Claim(NeedsSecondFactor, "1"));
        return identity;
    }
}

public static class SecondFactor
{
    public static async Task<bool> IsEnrolledAsync(UserManager<User> users, User user) =>
        user.TwoFactorEnabled || (await users.GetPasskeysAsync(user)).Count > 0;

    /// <summary>Required when the user administers any (non-demo) organisation, or belongs to one that requires it for all.</summary>
    public static Task<bool> IsRequiredAsync(MamoriDb db, Guid userId) =>
        db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .AnyAsync(m => m.UserId == userId
                           && ((m.Role == OrganizationRole.Administrator && !m.Organization!.IsDemo) || m.Organization!.RequireTwoFactor));
}
