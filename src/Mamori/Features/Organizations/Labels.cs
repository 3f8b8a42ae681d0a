namespace Mamori.Features.Organizations;

/// <summary>Japanese (official) and English names of kinds and roles, in one place.</summary>
public static class Labels
{
    public static (string Ja, string En) Of(OrganizationKind kind) => kind switch
    {
        OrganizationKind.Hospital => ("病院", "Hospital"),
        OrganizationKind.Clinic => ("診療所", "Clinic"),
        OrganizationKind.DentalClinic => ("歯科診療所", "Dental clinic"),
        OrganizationKind.Pharmacy => ("薬局", "Pharmacy"),
        OrganizationKind.Vendor => ("事業者", "Vendor"),
        OrganizationKind.Inspector => ("保健所・自治体", "Public health centre / prefecture"),
        OrganizationKind.Group => ("法人", "Healthcare group"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static (string Ja, string En) Of(OrganizationRole role) => role switch
    {
        OrganizationRole.Administrator => ("管理者（安全管理責任者）", "Administrator (security officer)"),
        OrganizationRole.Manager => ("企画管理者", "Manager"),
        OrganizationRole.Operator => ("システム運用担当者", "Operator"),
        OrganizationRole.Executive => ("経営層", "Executive"),
        OrganizationRole.Viewer => ("閲覧者", "Viewer"),
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>Every role held, in order, joined for display: 「管理者（安全管理責任者）・経営層」.</summary>
    public static (string Ja, string En) Of(IEnumerable<OrganizationRole> roles)
    {
        var labels = roles.Order().Select(Of).ToList();
        return (string.Join("・", labels.Select(l => l.Ja)), string.Join(", ", labels.Select(l => l.En)));
    }

    public static readonly string[] Prefectures =
    [
        "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
        "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
        "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
        "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
        "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
    ];
}
