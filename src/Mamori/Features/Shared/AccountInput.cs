using System.ComponentModel.DataAnnotations;
using Mamori.Features.Identity;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;

namespace Mamori.Features.Shared;

/// <summary>A new account as entered on the setup and invitation forms.</summary>
public sealed class AccountInput
{
    public string DisplayName { get; set; } = "";
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public bool EmailFixed { get; set; }
    public FieldErrors Errors { get; } = new();

    public async Task<bool> ValidateAsync(UserManager<User> users)
    {
        // Emptied fields arrive as null (model binding): each gets its message, not a crash.
        DisplayName = (DisplayName ?? "").Trim();
        Email = (Email ?? "").Trim();
        Password ??= "";
        if (DisplayName.Length is 0 or > 100) Errors.Add("DisplayName", ("氏名を入力してください。", "Enter your name."));
        if (!new EmailAddressAttribute().IsValid(Email) || Email.Length > 256) Errors.Add("Email", ("メールアドレスの形式が正しくありません。", "The e-mail address is not valid."));
        else if (await users.FindByEmailAsync(Email) is not null) Errors.Add("Email", ("このメールアドレスのアカウントは既にあります。サインインしてから操作してください。", "An account with this e-mail address exists already. Sign in first."));
        var problems = PasswordPolicy.Check(Password, hasSecondFactor: false).ToList();
        foreach (var problem in problems) Errors.Add("Password", (problem, problem)); // the password rules are worded in Japanese only
        return Errors.Count == 0;
    }

    public User ToUser() => new() { UserName = Email, Email = Email, DisplayName = DisplayName, EmailConfirmed = true };
}
