using System.Globalization;
using System.Text.Json.Nodes;

namespace Mamori.Features.Catalog;

/// <summary>What an official-form import found and did, for the command line (text or JSON).</summary>
public static class OfficialFormReport
{
    public static IEnumerable<string> Lines(OfficialFormResult r, bool dryRun)
    {
        if (r.Sha256.Length > 0) yield return $"ファイル: {r.Size.ToString("N0", CultureInfo.InvariantCulture)} バイト、SHA-256 {r.Sha256}";
        if (r.Official is { } o) yield return $"公式ファイル「{o.Title}」と一致しました（出典: {o.Source}、確からしさ: {o.Confidence}）。";
        else if (r.Sha256.Length > 0) yield return "公式ファイルと一致しません（公式ファイル一覧 catalog/official/files.yaml にないファイルです）。";
        if (r.Form is { } f)
            yield return $"読み取り: 見出し {f.HeaderRow}行目、区分 {f.Sections.Count}、確認項目 {f.Items.Count} 件" + (f.Title.Length > 0 ? $"（表題「{f.Title}」）" : "");
        if (r.Diff is { } d && r.Current is { } c)
        {
            yield return $"現在の版（{c.FileId} リビジョン {c.Row.Revision}）との差分: 追加 {d.Added.Count}、削除 {d.Removed.Count}、文言の変更 {d.Reworded.Count}、番号の変更 {d.Renumbered.Count}、変更なし {d.Unchanged}";
            foreach (var a in d.Added) yield return $"  追加     {a.Ref} {a.Label}";
            foreach (var x in d.Removed) yield return $"  削除     {x.Ref} {x.Label}";
            foreach (var (old, @new) in d.Reworded) yield return $"  文言変更 {@new.Ref} 「{old.Label}」→「{@new.Label}」";
            foreach (var (old, @new) in d.Renumbered) yield return $"  番号変更 {old.Ref} → {@new.Ref} {@new.Label}";
        }
        if (!r.Ok) yield break;
        if (dryRun) yield return "--dry-run のため何も変更していません / dry run: nothing was changed.";
        else if (r.Published && r.Edition is { } e)
            yield return $"{e.FileId} リビジョン {e.Revision} を公開しました（確認項目を確認済として、出典はこのファイル）。" +
                         $"記入中のチェックリスト {r.MovedAssessments} 件を新しいリビジョンに移し、回答 {r.FlaggedAnswers} 件に「要確認」を付けました。";
        else if (r.Edition is { } draft)
            yield return $"{draft.FileId} リビジョン {draft.Revision} を下書きとして保存しました" +
                         (r.Official is null ? "（公式ファイルと一致しません）。原本と照らし合わせてから、カタログ管理の「公式様式（Excel）の取り込み」画面で公開してください。" : "。");
    }

    public static JsonObject ToJson(OfficialFormResult r, bool dryRun)
    {
        static JsonObject Line(FormLine l) => new() { ["ref"] = l.Ref, ["label"] = l.Label, ["node"] = l.NodeId };
        return new JsonObject
        {
            ["ok"] = r.Ok,
            ["result"] = !r.Ok ? "refused" : dryRun ? "dry-run" : r.Published ? "published" : "draft",
            ["file"] = new JsonObject
            {
                ["size"] = r.Size, ["sha256"] = r.Sha256,
                ["official"] = r.Official is { } o
                    ? new JsonObject { ["id"] = o.Id, ["title"] = o.Title, ["source"] = o.Source, ["confidence"] = o.Confidence }
                    : null,
            },
            ["edition"] = r.Edition is { } e ? new JsonObject { ["id"] = e.FileId, ["revision"] = e.Revision } : null,
            ["items"] = r.Form?.Items.Count,
            ["diff"] = r.Diff is { } d
                ? new JsonObject
                {
                    ["added"] = new JsonArray(d.Added.Select(a => (JsonNode)Line(a)).ToArray()),
                    ["removed"] = new JsonArray(d.Removed.Select(a => (JsonNode)Line(a)).ToArray()),
                    ["reworded"] = new JsonArray(d.Reworded.Select(p => (JsonNode)new JsonObject { ["old"] = Line(p.Old), ["new"] = Line(p.New) }).ToArray()),
                    ["renumbered"] = new JsonArray(d.Renumbered.Select(p => (JsonNode)new JsonObject { ["old"] = Line(p.Old), ["new"] = Line(p.New) }).ToArray()),
                    ["unchanged"] = d.Unchanged,
                }
                : null,
            ["moved_assessments"] = r.MovedAssessments,
            ["flagged_answers"] = r.FlaggedAnswers,
            ["problems"] = new JsonArray(r.Problems.Select(p => (JsonNode)new JsonObject { ["row"] = p.Line, ["ja"] = p.Ja, ["en"] = p.En }).ToArray()),
        };
    }
}
