using Mamori.Features.Organizations;

namespace Mamori.Features.Catalog;

/// <summary>Japanese/English words for the catalogue's enumerations (docs/catalog-format.md §3.4).</summary>
public static class CatalogLabels
{
    static readonly Dictionary<string, (string Ja, string En)> Words = new()
    {
        // node kinds
        ["volume"] = ("編", "Volume"), ["chapter"] = ("章", "Chapter"), ["section"] = ("節・区分", "Section"),
        ["requirement"] = ("遵守事項", "Requirement"), ["checklist-item"] = ("チェック項目", "Checklist item"),
        ["question"] = ("確認事項", "Question"), ["stage"] = ("段階", "Stage"), ["activity"] = ("管理活動", "Management activity"),
        ["row"] = ("表の行", "Table row"), ["sheet"] = ("シート", "Sheet"),
        // file kinds
        ["guideline"] = ("ガイドライン", "Guideline"), ["checklist"] = ("チェックリスト", "Checklist"),
        ["bcp-checklist"] = ("BCP 確認表", "BCP checklist"), ["role-split"] = ("役割分担確認表", "Role-split form"),
        ["management-activities"] = ("管理活動ガイダンス", "Management activities"), ["provider-guideline"] = ("事業者ガイドライン", "Provider guideline"),
        ["disclosure"] = ("開示書（MDS/SDS）", "Disclosure (MDS/SDS)"),
        // confidence
        ["confirmed"] = ("確認済", "Confirmed"), ["estimated"] = ("推定", "Estimated"), ["unconfirmed"] = ("未確認", "Unconfirmed"),
        // relations (from the item's side)
        ["same"] = ("同じ", "Same"), ["narrower"] = ("より狭い", "Narrower"), ["broader"] = ("より広い", "Broader"), ["related"] = ("関連", "Related"),
        // mapping kinds
        ["reference"] = ("ガイドライン参照", "Guideline reference"), ["edition"] = ("版の対応", "Edition"),
        ["crosswalk"] = ("相互参照", "Crosswalk"), ["provider-to-guideline"] = ("事業者GL→ガイドライン", "Provider → guideline"),
        ["counterpart"] = ("対になる項目", "Counterpart"),
        // applies_to
        ["hospital"] = ("病院", "Hospital"), ["clinic"] = ("診療所", "Clinic"), ["dental-clinic"] = ("歯科診療所", "Dental clinic"),
        ["pharmacy"] = ("薬局", "Pharmacy"), ["vendor"] = ("事業者", "Vendor"),
        // answers, dates, devices
        ["yes"] = ("はい", "Yes"), ["no"] = ("いいえ", "No"), ["not-applicable"] = ("対象外", "Not applicable"),
        ["checked_on"] = ("確認日", "Checked on"), ["checked_on_1"] = ("確認日（1回目）", "Checked on (1st)"),
        ["checked_on_2"] = ("確認日（2回目）", "Checked on (2nd)"), ["target_date"] = ("目標日", "Target date"),
        ["initial_checked_on"] = ("初回確認日", "First checked on"), ["completed_on"] = ("完了日", "Completed on"),
        ["server"] = ("サーバ", "Server"), ["terminal"] = ("端末PC", "Client PC"), ["network"] = ("ネットワーク機器", "Network device"),
        ["general"] = ("医療情報システム全般", "All systems"),
        // sheets and BCP stages
        ["site"] = ("医療機関確認用", "Site sheet"), ["site-and-pharmacy"] = ("医療機関・薬局確認用", "Site & pharmacy sheet"),
        ["normal"] = ("平時", "Normal"), ["detection"] = ("検知", "Detection"), ["initial-response"] = ("初動対応", "Initial response"),
        ["recovery"] = ("復旧処理", "Recovery"), ["after-action"] = ("事後対応", "After action"),
    };

    public static (string Ja, string En) Of(string? value) =>
        value is not null && Words.TryGetValue(value, out var w) ? w : (value ?? "", value ?? "");

    /// <summary>The pharmacy sheet's value is also a pharmacy's applicability; sheet "pharmacy" reads 薬局確認用.</summary>
    public static (string Ja, string En) Sheet(string? value) => value == "pharmacy" ? ("薬局確認用", "Pharmacy sheet") : value == "vendor" ? ("事業者確認用", "Vendor sheet") : Of(value);

    /// <summary>The applies_to value that describes an organisation of this kind (null: none, e.g. 保健所).</summary>
    public static string? AppliesToValue(OrganizationKind kind) => kind switch
    {
        OrganizationKind.Hospital => "hospital",
        OrganizationKind.Clinic => "clinic",
        OrganizationKind.DentalClinic => "dental-clinic",
        OrganizationKind.Pharmacy => "pharmacy",
        OrganizationKind.Vendor => "vendor",
        _ => null,
    };
}
