using Mamori.Audit;
using Mamori.Data;
using Mamori.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Organizations;

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

    public static async Task EnsureAsync(IServiceProvider services, TextWriter output)
    {
        var db = services.GetRequiredService<MamoriDb>();
        var users = services.GetRequiredService<UserManager<User>>();
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
            var (assets, connections, cloud) = Assets.AssetDemoData.Build(org.Id, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)));
            db.Assets.AddRange(assets);
            db.Connections.AddRange(connections);
            db.CloudServices.AddRange(cloud);
            db.Audit(AuditActions.DemoLoaded, "Organization", org.Id.ToString(), new { beds = 200, devices = assets.Count, connections = connections.Count }, org.Id);
            await db.SaveChangesAsync();
            await AddChecklistAsync(db, org);
            vendor = await AddVendorAsync(db, users);
            await tx.CommitAsync();
            await AddVendorRequestsAsync(services, org, vendor);
        }
        await output.WriteLineAsync("デモ環境: 「デモ総合病院」(組織コード demo) のユーザー / demo users (password: " + Password + "):");
        foreach (var (email, name, role) in Users)
            await output.WriteLineAsync($"  {Labels.Of(role).Ja,-14} {email,-24} {name}");
        await output.WriteLineAsync($"  事業者（{VendorCode}）  {VendorUser.Email,-24} {VendorUser.Name}");
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

    /// <summary>
    /// Two 事業者確認用 requests of this fiscal year: the EHR vendor (in Mamori) has answered and attached its documents;
    /// the vital-monitor vendor is invited and has not answered. Each side acts in its own tenant, as in the browser.
    /// </summary>
    static async Task AddVendorRequestsAsync(IServiceProvider services, Organization site, Organization vendor)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        Guid answered;
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
            db.EnterOrganizationForCommandLine(site);
            var sheets = Checklists.ChecklistSheets.VendorSheets(await Catalog.CatalogIndex.GetAsync(db));
            if (sheets.Count == 0) return;
            var fiscalYear = Checklists.AnswerRules.FiscalYearOf(today);
            var edition = sheets.FirstOrDefault(x => x.Edition.Row.FiscalYear == fiscalYear) is { Edition: not null } current ? current.Edition : sheets[0].Edition;
            var (request, _, _) = await Vendors.VendorRequests.CreateAsync(db, site, edition,
                new("", "電子カルテ", null, vendor.Id, null, "今年度の立入検査に向けて、事業者確認用と MDS/SDS の提出をお願いします。"), "佐藤 一郎", default);
            answered = request!.Id;
            await Vendors.VendorRequests.CreateAsync(db, site, edition,
                new("", "生体情報モニタ", "デモメディカル機器株式会社", null, "support@monitor-vendor.example", null), "佐藤 一郎", default);
        }
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
            db.EnterOrganizationForCommandLine(vendor);
            var own = (await Vendors.VendorRequests.StartAnswerAsync(db, vendor.Id, answered, VendorUser.Name, default))!;
            var sheet = (await Checklists.ChecklistSheets.LoadAsync(db, own))!;
            foreach (var item in sheet.Items.Select(Checklists.ItemSpec.From))
                await Checklists.ChecklistService.SaveAnswerAsync(db, own, item,
                    new(item.Columns.ToDictionary(c => c, _ => (string?)"yes"), today, null, null, null, "品質保証部 中村"), 0, VendorUser.Name, today, default);
            foreach (var (name, text) in new[] { ("MDS（デモ用の架空の記載）.txt", "製造業者による医療情報セキュリティ開示書（MDS）— デモ用の架空の文書"),
                                                  ("事業者確認用_記入済み（デモ）.txt", "事業者確認用（記入済み）— デモ用の架空の文書。実際の運用では公式様式の Excel を添付します。") })
                await Checklists.ChecklistService.AddFileAsync(db, own, sheet.Sheet.NodeId, name, System.Text.Encoding.UTF8.GetBytes(text), null, 1024 * 1024, VendorUser.Name, default);
            var errors = await Vendors.VendorRequests.SubmitAsync(db, vendor.Id, answered, sheet, VendorUser.Name, default);
            if (errors.Count > 0) throw new InvalidOperationException(errors[0].Ja);
        }
    }

    /// <summary>This fiscal year's sheet, partly done: one はい with evidence, one いいえ with its 目標日, the rest open.</summary>
    static async Task AddChecklistAsync(MamoriDb db, Organization org)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        var index = await Catalog.CatalogIndex.GetAsync(db);
        var sheets = Checklists.ChecklistSheets.Available(index, org.Kind);
        if (sheets.Count == 0) return;
        var fiscalYear = Checklists.AnswerRules.FiscalYearOf(today);
        var (edition, sheetNode) = sheets.FirstOrDefault(x => x.Edition.Row.FiscalYear == fiscalYear) is { Edition: not null } current ? current : sheets[0];
        var assessment = await Checklists.ChecklistService.StartAsync(db, org.Id, edition, sheetNode.NodeId, "デモデータ", default);
        var sheet = (await Checklists.ChecklistSheets.LoadAsync(db, assessment))!;
        var items = sheet.Items.Select(Checklists.ItemSpec.From).Where(i => !i.IsPrerequisite).ToList();
        var checkedOn = new[] { today, Checklists.AnswerRules.FiscalYearStart(assessment.FiscalYear).AddDays(45) }.Min();
        var end = Checklists.AnswerRules.FiscalYearEnd(assessment.FiscalYear);
        for (var i = 0; i < Math.Min(2, items.Count); i++)
        {
            var item = items[i];
            var value = i == 0 ? "yes" : "no";
            var input = new Checklists.AnswerInput(item.Columns.ToDictionary(c => c, _ => (string?)value), checkedOn, null,
                value == "no" ? end.AddMonths(-1) : null, value == "no" ? "保守事業者と計画中" : null, "情報システム課 佐藤");
            await Checklists.ChecklistService.SaveAnswerAsync(db, assessment, item, input, 0, "デモデータ", today, default);
        }
        if (items.Count > 0)
            await Checklists.ChecklistService.AddFileAsync(db, assessment, items[0].NodeId, "任命記録（デモ）.txt",
                System.Text.Encoding.UTF8.GetBytes("医療情報システム安全管理責任者の任命記録（デモ用の架空の文書）"), null, 1024 * 1024, "デモデータ", default);
    }
}
