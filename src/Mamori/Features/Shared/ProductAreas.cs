namespace Mamori.Features.Shared;

/// <summary>The product areas in the navigation. Areas not built yet say so plainly on their page.</summary>
public sealed record ProductArea(string Slug, string Ja, string En, bool Built, string PlannedJa, string PlannedEn)
{
    public static readonly ProductArea[] All =
    [
        new("catalog", "カタログ", "Catalogue", true,
            "ガイドライン（第6.0版・第7.0版）とチェックリスト各年度版の項目を、出典・版・対応関係つきで閲覧・検索・比較できるようにします。",
            "Browse, search and compare every guideline and checklist edition, with sources and mappings."),
        new("checklists", "チェックリスト", "Checklists", true,
            "立入検査用「サイバーセキュリティ対策チェックリスト」の回答（はい／いいえ、確認日、目標日）、証跡、事業者確認用の依頼、署名、提出用ファイルの出力を行います。",
            "Answer the inspection checklist with dates, evidence, vendor sheets, sign-off and exports."),
        new("assets", "機器台帳", "Assets", true,
            "サーバ・端末PC・ネットワーク機器・医療機器・クラウドサービスの台帳と、リモートメンテナンス等の外部接続の一覧を管理します。",
            "Ledger of servers, PCs, network and medical devices, cloud services and every external connection."),
        new("vendors", "事業者", "Vendors", true,
            "保守・サービス事業者、契約、MDS/SDS、責任分界を管理します。", "Vendors, contracts, MDS/SDS and the split of responsibilities."),
        new("risks", "リスク", "Risks", false,
            "リスクアセスメント（発生可能性・影響度）と対応（低減・移転・回避・受容）を記録します。", "Risk register with likelihood, impact and treatment."),
        new("continuity", "BCP・インシデント", "BCP & incidents", false,
            "サイバー攻撃を想定した BCP、バックアップ、連絡体制図を管理します。", "Cyber BCP, backups and the incident contact chart."),
        new("reports", "レポート", "Reports", false,
            "立入検査用資料一式や、法人全体の状況をまとめて出力します。", "Inspection packs and roll-ups across facilities."),
    ];

    public static ProductArea? Find(string slug) => All.FirstOrDefault(a => a.Slug == slug);
}
