using Mamori.Features.Assets;
using Mamori.Features.Audit;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Identity;
using Mamori.Features.Vendors;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Time;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Organizations;

/// <summary>「デモ総合病院」 (code demo): a 200-bed hospital with one user per role. Only with --demo.</summary>
public static class DemoData
{
    public const string Code = "demo";
    public const string Password = "mamori-demo-2026";

    public static readonly (string Email, string Name, OrganizationRole Role)[] Users =
    [
        ("admin@demo.example", "佐藤 一郎", OrganizationRole.Administrator),
        ("manager@demo.example", "鈴木 花子", OrganizationRole.Manager),
        ("operator@demo.example", "高橋 健", OrganizationRole.Operator),
        ("executive@demo.example", "山本 事務長", OrganizationRole.Executive),
        ("viewer@demo.example", "田中 真理", OrganizationRole.Viewer),
    ];

    /// <summary>「デモ医療システム株式会社」 (code demo-vendor): the demo hospital's EHR vendor, answering in Mamori.</summary>
    public const string VendorCode = "demo-vendor";
    public static readonly (string Email, string Name) VendorUser = ("vendor@demo.example", "中村 保守");

    /// <summary>「デモ内科クリニック」 (code demo-clinic): a one-doctor clinic whose only member, the 院長, is 管理者 and 経営層.</summary>
    public const string ClinicCode = "demo-clinic";
    public static readonly (string Email, string Name) ClinicDirector = ("director@demo.example", "伊藤 院長");

    public static async Task EnsureAsync(IServiceProvider services, TextWriter output)
    {
        var db = services.GetRequiredService<MamoriDb>();
        var users = services.GetRequiredService<UserManager<User>>();
        var clock = services.GetRequiredService<TimeProvider>();
        var today = clock.Today();
        if (!await db.Organizations.AnyAsync(o => o.Code == Code))
        {
            Organization vendor;
            await using var tx = await db.Database.BeginTransactionAsync();
            var org = new Organization
            {
                Code = Code, Name = "デモ総合病院", Kind = OrganizationKind.Hospital, Prefecture = "東京都",
                RequireTwoFactor = false, IsDemo = true,
            };
            db.Organizations.Add(org);
            foreach (var (email, name, role) in Users)
            {
                var user = await users.FindByEmailAsync(email) ?? new User { UserName = email, Email = email, DisplayName = name, EmailConfirmed = true, IsSystemAdmin = role == OrganizationRole.Administrator };
                if (user.PasswordHash is null)
                {
                    var created = await users.CreateAsync(user, Password);
                    if (!created.Succeeded) throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
                }
                db.Memberships.Add(new Membership { OrganizationId = org.Id, UserId = user.Id, Role = role });
            }
            // 機器台帳: about 300 devices, vendor connections (incl. 給食 and 生体モニタ) and cloud services, with weak spots to find.
            var (assets, connections, cloud) = AssetDemoData.Build(org.Id, today);
            db.Assets.AddRange(assets);
            db.Connections.AddRange(connections);
            db.CloudServices.AddRange(cloud);
            db.Audit(AuditActions.DemoLoaded, "Organization", org.Id.ToString(), new { beds = 200, devices = assets.Count, connections = connections.Count }, org.Id);
            await db.SaveChangesAsync();
            vendor = await AddVendorAsync(db, users);
            await AddClinicAsync(db, users);
            await tx.CommitAsync();
            using (var scope = services.CreateScope())
            {
                var siteDb = scope.ServiceProvider.GetRequiredService<MamoriDb>();
                siteDb.EnterOrganizationForCommandLine(org); // as in the browser: the site acts in its own tenant
                await AddChecklistAsync(siteDb, org, clock);
            }
            await AddVendorRequestsAsync(services, org, vendor, clock);
            await Vulnerabilities.VulnerabilityDemo.EnsureSampleFeedsAsync(db, clock);
        }
        await output.WriteLineAsync("デモ環境: 「デモ総合病院」(組織コード demo) のユーザー / demo users (password: " + Password + "):");
        foreach (var (email, name, role) in Users)
            await output.WriteLineAsync($"  {Labels.Of(role).Ja,-14} {email,-24} {name}");
        await output.WriteLineAsync($"  事業者（{VendorCode}）  {VendorUser.Email,-24} {VendorUser.Name}");
        await output.WriteLineAsync($"  院長（{ClinicCode}・管理者＋経営層）  {ClinicDirector.Email,-24} {ClinicDirector.Name}");
    }

    static async Task<Organization> AddVendorAsync(MamoriDb db, UserManager<User> users)
    {
        var vendor = new Organization { Code = VendorCode, Name = "デモ医療システム株式会社", Kind = OrganizationKind.Vendor, Prefecture = "大阪府", RequireTwoFactor = false, IsDemo = true };
        db.Organizations.Add(vendor);
        var user = await users.FindByEmailAsync(VendorUser.Email) ?? new User { UserName = VendorUser.Email, Email = VendorUser.Email, DisplayName = VendorUser.Name, EmailConfirmed = true };
        if (user.PasswordHash is null)
        {
            var created = await users.CreateAsync(user, Password);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        db.Memberships.Add(new Membership { OrganizationId = vendor.Id, UserId = user.Id, Role = OrganizationRole.Administrator });
        db.Audit(AuditActions.DemoLoaded, "Organization", vendor.Id.ToString(), new { vendor.Code }, vendor.Id);
        await db.SaveChangesAsync();
        return vendor;
    }

    /// <summary>The one-person clinic: nothing answered yet, so the journey from an empty 令和8年度 sheet can be tried.</summary>
    static async Task AddClinicAsync(MamoriDb db, UserManager<User> users)
    {
        var clinic = new Organization { Code = ClinicCode, Name = "デモ内科クリニック", Kind = OrganizationKind.Clinic, Prefecture = "神奈川県", RequireTwoFactor = false, IsDemo = true };
        db.Organizations.Add(clinic);
        var user = await users.FindByEmailAsync(ClinicDirector.Email) ?? new User { UserName = ClinicDirector.Email, Email = ClinicDirector.Email, DisplayName = ClinicDirector.Name, EmailConfirmed = true };
        if (user.PasswordHash is null)
        {
            var created = await users.CreateAsync(user, Password);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        foreach (var role in new[] { OrganizationRole.Administrator, OrganizationRole.Executive })
            db.Memberships.Add(new Membership { OrganizationId = clinic.Id, UserId = user.Id, Role = role });
        db.Audit(AuditActions.DemoLoaded, "Organization", clinic.Id.ToString(), new { clinic.Code, members = 1 }, clinic.Id);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Two 事業者確認用 requests of this fiscal year: the EHR vendor (in Mamori) has answered and attached its documents;
    /// the vital-monitor vendor is invited and has not answered. Each side acts in its own tenant, as in the browser.
    /// </summary>
    static async Task AddVendorRequestsAsync(IServiceProvider services, Organization site, Organization vendor, TimeProvider clock)
    {
        var today = clock.Today();
        Guid answered;
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
            db.EnterOrganizationForCommandLine(site);
            var sheets = ChecklistSheets.VendorSheets(await CatalogIndex.GetAsync(db));
            if (sheets.Count == 0) return;
            var fiscalYear = AnswerRules.FiscalYearOf(today);
            var edition = sheets.FirstOrDefault(x => x.Edition.Row.FiscalYear == fiscalYear) is { Edition: not null } current ? current.Edition : sheets[0].Edition;
            var (request, _, _) = await VendorRequests.CreateAsync(db, site, edition,
                new("", "電子カルテ", null, vendor.Id, null, "今年度の立入検査に向けて、事業者確認用と MDS/SDS の提出をお願いします。"), "佐藤 一郎", clock, default);
            answered = request!.Id;
            await VendorRequests.CreateAsync(db, site, edition,
                new("", "生体情報モニタ", "デモメディカル機器株式会社", null, "support@monitor-vendor.example", null), "佐藤 一郎", clock, default);
        }
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
            db.EnterOrganizationForCommandLine(vendor);
            var own = (await VendorRequests.StartAnswerAsync(db, vendor.Id, answered, VendorUser.Name, clock, default))!;
            var sheet = (await ChecklistSheets.LoadAsync(db, own))!;
            foreach (var item in sheet.Items.Select(ItemSpec.From))
                await ChecklistService.SaveAnswerAsync(db, own, item,
                    new(item.Columns.ToDictionary(c => c, _ => (string?)"yes"), today, null, null, null, "品質保証部 中村"), 0, VendorUser.Name, clock, default);
            foreach (var (name, text) in new[] { ("MDS（デモ用の架空の記載）.txt", "製造業者による医療情報セキュリティ開示書（MDS）— デモ用の架空の文書"),
                                                  ("事業者確認用_記入済み（デモ）.txt", "事業者確認用（記入済み）— デモ用の架空の文書。実際の運用では公式様式の Excel を添付します。") })
                await ChecklistService.AddFileAsync(db, own, sheet.Sheet.NodeId, name, System.Text.Encoding.UTF8.GetBytes(text), null, 1024 * 1024, VendorUser.Name, default);
            var errors = await VendorRequests.SubmitAsync(db, vendor.Id, answered, sheet, VendorUser.Name, clock, default);
            if (errors.Count > 0) throw new InvalidOperationException(errors[0].Ja);
        }
    }

    /// <summary>
    /// This fiscal year's sheet, answered in full as a 200-bed hospital would by late autumn: はい with this year's 確認日,
    /// いいえ with a 目標日 for the two things still in progress (二要素認証, the BCP), evidence on the items an inspector
    /// asks to see (the appointment record, the 機器台帳 and the connection register kept in Mamori). The 安全管理責任者
    /// then signs the first round and the 事務長 (経営層) records the review, through the same service calls as the pages,
    /// so the audit chain holds the seal and the review.
    /// </summary>
    static async Task AddChecklistAsync(MamoriDb db, Organization org, TimeProvider clock)
    {
        var today = clock.Today();
        var index = await CatalogIndex.GetAsync(db);
        var sheets = ChecklistSheets.Available(index, org.Kind);
        if (sheets.Count == 0) return;
        var fiscalYear = AnswerRules.FiscalYearOf(today);
        var (edition, sheetNode) = sheets.FirstOrDefault(x => x.Edition.Row.FiscalYear == fiscalYear) is { Edition: not null } current ? current : sheets[0];
        var assessment = await ChecklistService.StartAsync(db, org.Id, edition, sheetNode.NodeId, "デモデータ", clock, default);
        var sheet = (await ChecklistSheets.LoadAsync(db, assessment))!;
        var start = AnswerRules.FiscalYearStart(assessment.FiscalYear);
        var end = AnswerRules.FiscalYearEnd(assessment.FiscalYear);
        // Checked over a few weeks from mid-May (never after today, for a demo started early in the fiscal year).
        DateOnly CheckedOn(int n) => new[] { today, start.AddDays(45 + 2 * n) }.Min();
        var admin = Users[0].Name;
        var n = 0;
        foreach (var item in sheet.Items.Select(ItemSpec.From))
        {
            var (value, target, note) = item.IsPrerequisite ? ("yes", (DateOnly?)null, (string?)null) : Planned(item.NodeId, sheet, end);
            var input = new AnswerInput(item.Columns.ToDictionary(c => c, _ => (string?)value), item.IsPrerequisite ? null : CheckedOn(n++), null,
                target, note, item.IsPrerequisite ? null : "情報システム課 " + admin);
            var saved = await ChecklistService.SaveAnswerAsync(db, assessment, item, input, 0, "デモデータ", clock, default);
            if (!saved.Ok) throw new InvalidOperationException($"demo data: {item.NodeId}: {string.Join(" ", saved.Errors.Select(e => e.Ja))}");
        }
        foreach (var node in sheet.Items)
            switch (node.Row.Ref)
            {
                case "1-①":
                    await ChecklistService.AddFileAsync(db, assessment, node.NodeId, "任命記録（デモ）.txt",
                        System.Text.Encoding.UTF8.GetBytes("医療情報システム安全管理責任者の任命記録（デモ用の架空の文書）"), null, 1024 * 1024, "デモデータ", default);
                    break;
                case "2-①":
                    await ChecklistService.AddLinkAsync(db, assessment, node.NodeId, "assets", "機器台帳（Mamori）", null, "デモデータ", default);
                    break;
                case "2-②":
                    await ChecklistService.AddLinkAsync(db, assessment, node.NodeId, "connections", "外部接続の一覧（Mamori）", null, "デモデータ", default);
                    break;
            }
        var (seal, missing) = await ChecklistService.SealAsync(db, assessment, sheet, admin, clock, default);
        if (seal is null) throw new InvalidOperationException($"demo data: {missing.Count} items left unanswered");
        var executive = Users.First(u => u.Role == OrganizationRole.Executive).Name;
        var tracked = await db.ChecklistSeals.FirstAsync(x => x.Id == seal.Id);
        if (await ChecklistService.ReviewAsync(db, tracked, today, "確認しました。二要素認証と BCP は目標日までに対応すること。", executive, null, today, default) is { } error)
            throw new InvalidOperationException("demo data: " + error.Ja);
    }

    /// <summary>The demo hospital's いいえ: 二要素認証 (2-⑩, target set by the guideline for 令和9年度) and the BCP (3-③); はい elsewhere.</summary>
    static (string Value, DateOnly? Target, string? Note) Planned(string nodeId, ChecklistSheet sheet, DateOnly end) =>
        sheet.Items.FirstOrDefault(i => i.NodeId == nodeId)?.Row.Ref switch
        {
            "2-⑩" => ("no", end.AddMonths(-1), "電子カルテ端末の ICカード＋PIN 化を保守事業者と計画中。"),
            "3-③" => ("no", end.AddMonths(-2), "サイバー攻撃を想定した BCP を策定中（事務長・情報システム課）。"),
            _ => ("yes", null, null),
        };
}
