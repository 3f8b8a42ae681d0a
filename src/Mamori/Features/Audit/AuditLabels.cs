using System.Text.Json;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;

namespace Mamori.Features.Audit;

/// <summary>Areas the audit log is filtered by (kept in the query string as <c>area=</c>).</summary>
public enum AuditArea { Ledger, Checklist, Catalog, VendorRequests, SignIn, Organization }

/// <summary>
/// What people read in the audit log, in one place: the Japanese (and English) name of every event type, the area it
/// belongs to, and a one-line summary of what changed. The stored rows (and their hash chain) are never touched.
/// </summary>
public static class AuditLabels
{
    static readonly Dictionary<string, (string Ja, string En)> Actions = new()
    {
        [AuditActions.Create] = ("作成", "Created"),
        [AuditActions.Update] = ("変更", "Changed"),
        [AuditActions.Delete] = ("削除", "Deleted"),
        [AuditActions.View] = ("閲覧", "Viewed"),
        [AuditActions.Export] = ("出力", "Exported"),
        [AuditActions.SignIn] = ("サインイン", "Signed in"),
        [AuditActions.SignInFailed] = ("サインイン失敗", "Sign-in failed"),
        [AuditActions.SecondFactorFailed] = ("二要素認証の失敗", "Second factor failed"),
        [AuditActions.LockedOut] = ("アカウントロック", "Locked out"),
        [AuditActions.SignOut] = ("サインアウト", "Signed out"),
        [AuditActions.TwoFactorEnabled] = ("認証アプリを設定", "Authenticator app set up"),
        [AuditActions.TwoFactorDisabled] = ("認証アプリを解除", "Authenticator app removed"),
        [AuditActions.RecoveryCodesGenerated] = ("回復コードを発行", "Recovery codes issued"),
        [AuditActions.PasskeyAdded] = ("パスキーを登録", "Passkey added"),
        [AuditActions.PasswordChanged] = ("パスワードを変更", "Password changed"),
        [AuditActions.Setup] = ("初回セットアップ", "First-run setup"),
        [AuditActions.InvitationCreated] = ("メンバーを招待", "Member invited"),
        [AuditActions.InvitationAccepted] = ("招待を承諾", "Invitation accepted"),
        [AuditActions.MemberRemoved] = ("メンバーを外す", "Member removed"),
        [AuditActions.MemberRolesChanged] = ("メンバーの役割を変更", "Member roles changed"),
        [AuditActions.SettingsChanged] = ("設定を変更", "Settings changed"),
        [AuditActions.AccessDenied] = ("アクセス拒否", "Access denied"),
        [AuditActions.DemoLoaded] = ("デモデータを読み込み", "Demo data loaded"),
        [AuditActions.Backup] = ("バックアップ", "Database backup"),
        [AuditActions.Restore] = ("バックアップから復元", "Database restored"),
        [AuditActions.CatalogImported] = ("カタログを取り込み", "Catalogue imported"),
        [AuditActions.CatalogPublished] = ("カタログを公開", "Catalogue published"),
        [AuditActions.CatalogDraftDiscarded] = ("カタログの下書きを破棄", "Catalogue draft discarded"),
        [AuditActions.AssetsImported] = ("機器台帳を取り込み", "Ledger imported"),
        [AuditActions.ScanImported] = ("スキャン結果を取り込み", "Scan imported"),
        [AuditActions.ChecklistSealed] = ("チェックリストに署名", "Checklist signed"),
        [AuditActions.ChecklistReviewed] = ("経営層が確認", "Reviewed by management"),
        [AuditActions.VendorRequestCreated] = ("事業者確認用を依頼", "Vendor sheet requested"),
        [AuditActions.VendorRequestAccepted] = ("事業者が依頼を承諾", "Vendor accepted the request"),
        [AuditActions.VendorRequestSubmitted] = ("事業者が回答を提出", "Vendor submitted"),
        [AuditActions.VendorRequestReturned] = ("事業者確認用を差戻し", "Vendor sheet returned"),
        [AuditActions.MailRetried] = ("メールを再送", "E-mail retried"),
    };

    /// <summary>What a row is about, named as people say it.</summary>
    static readonly Dictionary<string, (string Ja, string En)> Subjects = new()
    {
        ["Asset"] = ("機器", "device"), ["AssetInterface"] = ("機器のネットワーク", "device network interface"),
        ["OpenPort"] = ("開いているポート", "open port"), ["AssetLedger"] = ("機器台帳", "device ledger"),
        ["CloudService"] = ("クラウドサービス", "cloud service"), ["Connection"] = ("外部接続", "connection"),
        ["ConnectionEvidence"] = ("外部接続の証跡", "connection evidence"), ["ConnectionRegister"] = ("外部接続一覧", "connection register"),
        ["ImportUpload"] = ("取り込みファイル", "import file"),
        ["ChecklistAssessment"] = ("チェックリスト", "checklist"), ["ChecklistAnswer"] = ("チェックリストの回答", "checklist answer"),
        ["ChecklistEvidence"] = ("チェックリストの証跡", "checklist evidence"), ["ChecklistSeal"] = ("チェックリストの署名", "checklist signature"),
        ["CatalogEdition"] = ("カタログ", "catalogue"),
        ["VendorRequest"] = ("事業者確認用の依頼", "vendor-sheet request"),
        ["Organization"] = ("組織", "organisation"), ["Membership"] = ("メンバー", "member"), ["Members"] = ("メンバー一覧", "member list"),
        ["Invitation"] = ("招待", "invitation"), ["User"] = ("ユーザー", "user"), ["AuditLog"] = ("監査ログ", "audit log"),
        ["OutboxMail"] = ("メール", "e-mail"),
    };

    public static readonly (AuditArea Area, string Value, string Ja, string En)[] Areas =
    [
        (AuditArea.Ledger, "ledger", "機器台帳・外部接続", "Ledgers"),
        (AuditArea.Checklist, "checklist", "チェックリスト", "Checklist"),
        (AuditArea.Catalog, "catalog", "カタログ", "Catalogue"),
        (AuditArea.VendorRequests, "vendor", "事業者確認用の依頼", "Vendor requests"),
        (AuditArea.SignIn, "signin", "サインイン・セキュリティ", "Sign-in & security"),
        (AuditArea.Organization, "organization", "組織・メンバー・設定", "Organisation"),
    ];

    /// <summary>Per area: the action prefixes it owns, and the record types whose create/change/delete/view/export belong to it.</summary>
    public static (string[] Prefixes, string[] Types) Scope(AuditArea area) => area switch
    {
        AuditArea.Ledger => (["assets."], ["Asset", "AssetInterface", "OpenPort", "AssetLedger", "CloudService", "Connection", "ConnectionEvidence", "ConnectionRegister", "ImportUpload"]),
        AuditArea.Checklist => (["checklist."], ["ChecklistAssessment", "ChecklistAnswer", "ChecklistEvidence", "ChecklistSeal"]),
        AuditArea.Catalog => (["catalog."], ["CatalogEdition"]),
        AuditArea.VendorRequests => (["vendor_request."], ["VendorRequest"]),
        AuditArea.SignIn => (["auth.", "security."], []),
        _ => (["admin.", "mail."], ["Organization", "Membership", "Members", "Invitation", "User", "AuditLog", "OutboxMail"]),
    };

    public static AuditArea? ParseArea(string? value) => Areas.FirstOrDefault(a => a.Value == value) is { Value: not null } a ? a.Area : null;

    /// <summary>The event's name; an action without a label (added later) shows as its code.</summary>
    public static (string Ja, string En) Of(string action) => Actions.TryGetValue(action, out var label) ? label : (action, action);

    public static (string Ja, string En) Subject(string? entityType) =>
        entityType is not null && Subjects.TryGetValue(entityType, out var s) ? s : (entityType ?? "", entityType ?? "");

    /// <summary>One line saying what happened: the event, its subject and the change (details stay available in full).</summary>
    public static (string Ja, string En) Summary(AuditEntry entry)
    {
        var name = Of(entry.Action);
        var subject = Subject(entry.EntityType);
        JsonElement? d = null;
        try { if (entry.Details is { } json) d = JsonDocument.Parse(json).RootElement; } catch (JsonException) { }
        var parts = entry.Action switch
        {
            AuditActions.Create or AuditActions.Delete or AuditActions.View or AuditActions.Export => (subject.Ja + Named(d, true), subject.En + Named(d, false)),
            AuditActions.Update => (subject.Ja + Named(d, true) + " " + Changes(d, true), subject.En + Named(d, false) + " " + Changes(d, false)),
            AuditActions.MemberRolesChanged => (Str(d, "member") + ": " + Roles(d, "before", ja: true) + " → " + Roles(d, "after", ja: true),
                Str(d, "member") + ": " + Roles(d, "before", ja: false) + " → " + Roles(d, "after", ja: false)),
            AuditActions.InvitationCreated => (Str(d, "email") + "（" + RoleLabel(Str(d, "role"), true) + "）", Str(d, "email") + " (" + RoleLabel(Str(d, "role"), false) + ")"),
            AuditActions.ChecklistSealed => ($"{Str(d, "round")}回目・{Str(d, "EditionFileId")}", $"round {Str(d, "round")}, {Str(d, "EditionFileId")}"),
            AuditActions.ChecklistReviewed => ($"{Str(d, "round")}回目" + (Str(d, "sameAsSigner") is { Length: > 0 } same ? "・" + same : ""),
                $"round {Str(d, "round")}" + (Str(d, "sameAsSigner").Length > 0 ? ", same person as the signer" : "")),
            AuditActions.AccessDenied => (Str(d, "path"), Str(d, "path")),
            _ => (Compact(d, true), Compact(d, false)),
        };
        return (Join(name.Ja, parts.Item1, "："), Join(name.En, parts.Item2, ": "));
    }

    static string Join(string name, string rest, string colon) => string.IsNullOrWhiteSpace(rest) ? name : name + colon + rest.Trim();

    static string Str(JsonElement? d, string key) =>
        d is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(key, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ToString() : "";

    /// <summary>The field that names a record (管理番号, name, title …), if the details carry one.</summary>
    static string Named(JsonElement? d, bool ja)
    {
        if (d is not { ValueKind: JsonValueKind.Object } o) return "";
        foreach (var key in new[] { "ControlNumber", "Name", "Title", "SystemName", "Email", "NodeId", "Code", "DisplayName" })
        {
            if (!o.TryGetProperty(key, out var v)) continue;
            if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 2) v = v[1]; // a change: [before, after]
            if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } name) return ja ? $"「{Short(name)}」" : $" “{Short(name)}”";
        }
        return "";
    }

    static string Changes(JsonElement? d, bool ja)
    {
        if (d is not { ValueKind: JsonValueKind.Object } o) return "";
        var changes = o.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 2)
            .Select(p => $"{p.Name}: {Short(Value(p.Value[0]))} → {Short(Value(p.Value[1]))}").ToList();
        var sep = ja ? "、" : ", ";
        return changes.Count <= 3 ? string.Join(sep, changes) : string.Join(sep, changes.Take(3)) + (ja ? $" ほか{changes.Count - 3}件" : $" and {changes.Count - 3} more");
    }

    /// <summary>Names of the detail keys events carry, as people say them (keys not listed show as they are).</summary>
    static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["method"] = "方法", ["system"] = "システム", ["vendor"] = "事業者", ["EditionFileId"] = "版", ["edition"] = "版",
        ["round"] = "回", ["rows"] = "件数", ["items"] = "項目数", ["evidence"] = "証跡", ["path"] = "URL", ["format"] = "形式",
        ["FiscalYear"] = "年度", ["To"] = "宛先", ["Kind"] = "種類", ["Attempts"] = "試行回数", ["email"] = "メールアドレス", ["role"] = "役割", ["days"] = "有効日数", ["user"] = "ユーザー",
        ["file"] = "ファイル", ["comment"] = "コメント", ["site"] = "依頼元", ["administrator"] = "管理者", ["Code"] = "組織コード",
        ["area"] = "分野", ["actor"] = "実行者", ["recipient"] = "宛先", ["from"] = "開始日", ["to"] = "終了日", ["page"] = "ページ",
    };

    static string Compact(JsonElement? d, bool ja) => d is { ValueKind: JsonValueKind.Object } o
        ? string.Join(ja ? "、" : ", ", o.EnumerateObject()
            .Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array) && !p.Name.Equals("sha256", StringComparison.OrdinalIgnoreCase))
            .Take(4).Select(p => $"{(ja && Keys.TryGetValue(p.Name, out var k) ? k : p.Name)}: {Short(Value(p.Value))}"))
        : "";

    static string Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => "—",
        JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : "（空）",
        _ => v.ToString(),
    };

    static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;

    static string Roles(JsonElement? d, string key, bool ja) =>
        d is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(key, out var a) && a.ValueKind == JsonValueKind.Array
            ? string.Join(ja ? "・" : ", ", a.EnumerateArray().Select(r => RoleLabel(r.GetString() ?? "", ja)))
            : "";

    static string RoleLabel(string role, bool ja) =>
        Enum.TryParse<OrganizationRole>(role, out var r) ? ja ? Labels.Of(r).Ja : Labels.Of(r).En : role;
}
