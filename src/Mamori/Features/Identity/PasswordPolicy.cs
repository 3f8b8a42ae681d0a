using Microsoft.AspNetCore.Identity;

namespace Mamori.Features.Identity;

/// <summary>
/// Password rules of Guideline 7.0 システム運用編 14章 applied to Mamori's own accounts:
/// 13+ characters without a second factor, 8+ with one; letters and digits mixed; no periodic change;
/// the current password may not be reused.
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<User>
{
    public const int MinimumWithoutSecondFactor = 13;
    public const int MinimumWithSecondFactor = 8;

    public static IEnumerable<string> Check(string password, bool hasSecondFactor)
    {
        var min = hasSecondFactor ? MinimumWithSecondFactor : MinimumWithoutSecondFactor;
        if (password.Length < min)
            yield return hasSecondFactor
                ? $"パスワードは {min} 文字以上にしてください。"
                : $"二要素認証を設定していないアカウントのパスワードは {min} 文字以上にしてください（ガイドライン第7.0版 システム運用編14章）。";
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
            yield return "パスワードには英字と数字の両方を含めてください。";
    }

    public async Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password)
    {
        password ??= "";
        var hasSecondFactor = user.TwoFactorEnabled || (await manager.GetPasskeysAsync(user)).Count > 0;
        var errors = Check(password, hasSecondFactor).Select(m => new IdentityError { Code = "MamoriPassword", Description = m }).ToList();
        if (user.PasswordHash is not null
            && manager.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed)
            errors.Add(new IdentityError { Code = "PasswordReused", Description = "現在のパスワードと同じパスワードは使えません。" });
        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }
}
