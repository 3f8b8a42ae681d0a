namespace Mamori.Features.Identity;

/// <summary>
/// Password reset by e-mail: the link carries ASP.NET Core Identity's reset token (data-protected, bound to the
/// account's security stamp), valid for <see cref="Lifetime"/>; using it changes the stamp, so it works once. The request
/// answers the same whether or not the address has an account.
/// </summary>
public static class PasswordReset
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static string Link(Guid userId, string token) =>
        $"/account/reset-password?user={userId}&token={Uri.EscapeDataString(token)}";
}
