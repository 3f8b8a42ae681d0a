using System.Security.Claims;
using Mamori.Features.Identity;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;

namespace Mamori.Features.Shared;

/// <summary>An invitation link works only for the address it was sent to: the signed-in user must be that address.</summary>
public static class InvitedAddress
{
    /// <summary>The signed-in user, or the message (ja/en by <paramref name="t"/>) saying whose invitation this is.</summary>
    public static async Task<(User? Me, string? Problem)> CheckAsync(UserManager<User> users, ClaimsPrincipal principal, string invitedEmail, Text t)
    {
        var me = await users.GetUserAsync(principal);
        return string.Equals(me?.Email, invitedEmail, StringComparison.OrdinalIgnoreCase)
            ? (me, null)
            : (null, t[$"この招待は {invitedEmail} 宛てです。そのアカウントでサインインしてから開いてください。",
                       $"This invitation is for {invitedEmail}. Sign in with that account first."]);
    }
}
