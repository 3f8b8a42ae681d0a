using System.CommandLine;
using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Cli;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>`./mamori checklist export --org CODE --year 2026 --out DIR`: the same inspection pack as the web.</summary>
static class ChecklistCommands
{
    public static Command Build()
    {
        var checklist = new Command("checklist", "チェックリスト / inspection checklist");
        var org = new Option<string>("--org") { Description = "組織コード", Required = true };
        var year = new Option<int>("--year") { Description = "年度（西暦、例: 2026 = 令和8年度）", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "出力先フォルダ", Required = true };
        var export = new Command("export", "立入検査用一式（表紙と目次・xlsx・PDF・証跡・台帳・署名記録・SHA-256 一覧の ZIP）を書き出す / write the inspection pack") { org, year, outDir };
        export.SetAction((pr, ct) => MamoriCommandLine.WithDatabase(async db =>
        {
            var code = pr.GetValue(org)!;
            var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Code == code, ct);
            if (organization is null)
            {
                await Console.Error.WriteLineAsync($"組織コード「{code}」の組織がありません（./mamori org list で確認できます）。");
                return 2;
            }
            db.EnterOrganizationForCommandLine(organization);
            var fiscalYear = pr.GetValue(year);
            // One pack per site sheet; the 事業者確認用 sheets travel inside it.
            var assessments = await db.ChecklistAssessments.AsNoTracking().Where(a => a.FiscalYear == fiscalYear && a.SheetNodeId != "vendor").ToListAsync(ct);
            if (assessments.Count == 0)
            {
                await Console.Error.WriteLineAsync($"{AnswerRules.Reiwa(fiscalYear)}のチェックリストがありません。");
                return 1;
            }
            var dir = pr.GetValue(outDir)!;
            dir.Create();
            foreach (var assessment in assessments)
            {
                var record = (await ChecklistRecord.LoadAsync(db, assessment, organization.Name, ct))!;
                var path = Path.Combine(dir.FullName, $"立入検査用_{record.FileStem}.zip");
                ChecklistExport.PackResult pack;
                await using (var file = File.Create(path)) pack = await ChecklistExport.WritePackAsync(db, record, file, MamoriCommandLine.Clock.GetUtcNow().UtcDateTime, ct);
                db.Audit(AuditActions.Export, "ChecklistAssessment", assessment.Id.ToString(), new { format = "pack", path }, organization.Id);
                Console.WriteLine($"{path}");
                if (pack.PdfProblem is { } problem)
                    await Console.Error.WriteLineAsync($"警告: この一式には PDF がありません。{problem}");
            }
            await db.SaveChangesAsync(ct);
            return 0;
        }));
        checklist.Subcommands.Add(export);
        return checklist;
    }
}
