using System.Text.RegularExpressions;
using Mamori.Platform.Data;
using Mamori.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Organizations;

/// <summary>The organisation profile as entered on the setup and new-organisation forms.</summary>
public sealed partial class OrganizationInput
{
    public OrganizationKind Kind { get; set; } = OrganizationKind.Hospital;
    public string Name { get; set; } = "";
    public string Prefecture { get; set; } = "";
    public string Code { get; set; } = "";
    public string? MedicalInstitutionCode { get; set; }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,31}$")] private static partial Regex CodePattern();

    /// <summary>Errors by field. Empty when valid.</summary>
    public async Task<FieldErrors> ValidateAsync(MamoriDb db, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        // An emptied field arrives as null (model binding): treat it as "" so it gets its message, not a crash.
        Name = (Name ?? "").Trim();
        Code = (Code ?? "").Trim().ToLowerInvariant();
        Prefecture ??= "";
        MedicalInstitutionCode = string.IsNullOrWhiteSpace(MedicalInstitutionCode) ? null : ToHalfWidthDigits(MedicalInstitutionCode.Trim());
        if (!Enum.IsDefined(Kind)) errors.Add(nameof(Kind), ("組織の種類を選んでください。", "Choose the kind of organisation."));
        if (Name.Length is 0 or > 200) errors.Add(nameof(Name), ("名称を 1〜200 文字で入力してください。", "Enter a name of 1 to 200 characters."));
        if (!Labels.Prefectures.Contains(Prefecture)) errors.Add(nameof(Prefecture), ("都道府県を選んでください。", "Choose the prefecture."));
        if (!CodePattern().IsMatch(Code))
            errors.Add(nameof(Code), ("組織コードは半角英小文字・数字・ハイフンで 2〜32 文字にしてください（例: sakura-hp）。", "The code must be 2 to 32 lower-case letters, digits or hyphens (e.g. sakura-hp)."));
        else if (await db.Organizations.AnyAsync(o => o.Code == Code, ct))
            errors.Add(nameof(Code), ("この組織コードは既に使われています。別のコードにしてください。", "This code is taken. Choose another one."));
        // 医療機関コード: 10 digits (都道府県番号2桁 + 点数表番号1桁 + 医療機関番号7桁); only for sites.
        if (MedicalInstitutionCode is not null)
        {
            if (Kind is OrganizationKind.Vendor or OrganizationKind.Inspector or OrganizationKind.Group)
                errors.Add(nameof(MedicalInstitutionCode), ("医療機関コードは病院・診療所・歯科診療所・薬局でのみ入力できます。", "Only hospitals, clinics, dental clinics and pharmacies have a medical institution code."));
            else if (MedicalInstitutionCode.Length != 10 || !MedicalInstitutionCode.All(char.IsAsciiDigit))
                errors.Add(nameof(MedicalInstitutionCode), ("医療機関コードは数字 10 桁で入力してください。", "The medical institution code has 10 digits."));
        }
        return errors;
    }

    public Organization ToOrganization() => new()
    {
        Code = Code, Name = Name, Kind = Kind, Prefecture = Prefecture, MedicalInstitutionCode = MedicalInstitutionCode,
    };

    /// <summary>全角数字 → 半角 (Excel users type ０１２３).</summary>
    public static string ToHalfWidthDigits(string s) =>
        string.Concat(s.Select(c => c is >= '０' and <= '９' ? (char)('0' + (c - '０')) : c));
}
