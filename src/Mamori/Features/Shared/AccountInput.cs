using System.ComponentModel.DataAnnotations;
using Mamori.Features.Identity;
using Microsoft.AspNetCore.Identity;

namespace Mamori.Features.Shared;

/// <summary>A new account as entered on the setup and invitation forms.</summary>
public sealed class AccountInput
{
    public string DisplayName { get; set; } = "";
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public bool EmailFixed { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<bool> ValidateAsync(UserManager<User> users)
    {
        // Emptied fields arrive as null (model binding): each gets its message, not a crash.
        DisplayName = (DisplayName ?? "").Trim();
        Email = (Email ?? "").Trim();
        Password ??= "";
        if (DisplayName.Length is 0 or > 100) Errors["DisplayName"] = "氏名を入力してください。";
        if (!new EmailAddressAttribute().IsValid(Email) || Email.Length > 256) Errors["Email"] = "メールアドレスの形式が正しくありません。";
        else if (await users.FindByEmailAsync(Email) is not null) Errors["Email"] = "このメールアドレスのアカウントは既にあります。サインインしてから操作してください。";
        var problems = PasswordPolicy.Check(Password, hasSecondFactor: false).ToList();
        if (problems.Count > 0) Errors["Password"] = string.Join(" ", problems);
        return Errors.Count == 0;
    }

    public User ToUser() => new() { UserName = Email, Email = Email, DisplayName = DisplayName, EmailConfirmed = true };
}
