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

    public static async Task EnsureAsync(IServiceProvider services, TextWriter output)
    {
        var db = services.GetRequiredService<MamoriDb>();
        var users = services.GetRequiredService<UserManager<User>>();
        if (!await db.Organizations.AnyAsync(o => o.Code == Code))
        {
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
            await tx.CommitAsync();
        }
        await output.WriteLineAsync("デモ環境: 「デモ総合病院」(組織コード demo) のユーザー / demo users (password: " + Password + "):");
        foreach (var (email, name, role) in Users)
            await output.WriteLineAsync($"  {Labels.Of(role).Ja,-14} {email,-24} {name}");
    }
}
