using Mamori.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Identity;

/// <summary>
/// Password rules of Guideline 7.0 システム運用編 14章 applied to Mamori's own accounts:
/// 13+ characters without a second factor, 8+ with one; letters and digits mixed; no periodic change;
/// the current password may not be reused. Also (ASVS 2.1.7): not one of the most common passwords
/// (<see cref="CommonPasswords"/>), at least 5 different characters, and not containing the e-mail address's local part
/// or the name or code of the user's organisations.
/// </summary>
public sealed class PasswordPolicy(CommonPasswords common, MamoriDb db) : IPasswordValidator<User>
{
    public const int MinimumWithoutSecondFactor = 13;
    public const int MinimumWithSecondFactor = 8;
    public const int MinimumDifferentCharacters = 5;

    public static IEnumerable<string> Check(string password, bool hasSecondFactor)
    {
        var min = hasSecondFactor ? MinimumWithSecondFactor : MinimumWithoutSecondFactor;
        if (password.Length < min)
            yield return hasSecondFactor
                ? $"パスワードは {min} 文字以上にしてください。"
                : $"二要素認証を設定していないアカウントのパスワードは {min} 文字以上にしてください（ガイドライン第7.0版 システム運用編14章）。";
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
            yield return "パスワードには英字と数字の両方を含めてください。";
        if (password.Distinct().Count() < MinimumDifferentCharacters)
            yield return $"同じ文字の繰り返しが多すぎます。{MinimumDifferentCharacters} 種類以上の文字を使ってください。";
    }

    /// <summary>The problems of a password besides its length and characters: common, or containing the person's own words.</summary>
    public static IEnumerable<string> CheckWords(string password, CommonPasswords common, IEnumerable<string?> ownWords)
    {
        if (common.Contains(password))
            yield return "このパスワードはよく使われていて推測されやすいため使えません。別のパスワードにしてください。";
        var lower = password.ToLowerInvariant();
        foreach (var word in OwnWords(ownWords))
            if (lower.Contains(word))
            {
                yield return "メールアドレスや組織の名称・組織コードを含むパスワードは使えません。";
                yield break;
            }
    }

    /// <summary>Words of 3+ characters from e-mail local parts, organisation names (spaces removed) and codes.</summary>
    static IEnumerable<string> OwnWords(IEnumerable<string?> words) =>
        words.Where(w => !string.IsNullOrWhiteSpace(w))
            .Select(w => w!.Contains('@') ? w[..w.IndexOf('@')] : w!)
            .Select(w => string.Concat(w.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant())
            .Where(w => w.Length >= 3)
            .Distinct();

    public async Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password)
    {
        password ??= "";
        var hasSecondFactor = user.TwoFactorEnabled || (await manager.GetPasskeysAsync(user)).Count > 0;
        var organizations = await db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(m => m.UserId == user.Id)
            .Select(m => new { m.Organization!.Name, m.Organization.Code }).Distinct().ToListAsync();
        var own = organizations.SelectMany(o => new[] { o.Name, o.Code }).Append(user.Email);
        var errors = Check(password, hasSecondFactor).Concat(CheckWords(password, common, own))
            .Select(m => new IdentityError { Code = "MamoriPassword", Description = m }).ToList();
        if (user.PasswordHash is not null
            && manager.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed)
            errors.Add(new IdentityError { Code = "PasswordReused", Description = "現在のパスワードと同じパスワードは使えません。" });
        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }
}
