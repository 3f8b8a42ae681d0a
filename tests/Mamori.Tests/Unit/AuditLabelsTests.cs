using System.Reflection;
using Mamori.Features.Audit;
using Mamori.Platform.Audit;

namespace Mamori.Tests.Unit;

/// <summary>The audit log's words for people: every event type has a Japanese name, and a change reads as one line.</summary>
public sealed class AuditLabelsTests
{
    static AuditEntry Entry(string action, string? type, string? details) =>
        new() { Action = action, EntityType = type, Details = details, ActorName = "佐藤", PrevHash = "", Hash = "" };

    [Fact]
    public void Every_event_type_has_a_japanese_name_and_an_area()
    {
        var actions = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        Assert.NotEmpty(actions);
        foreach (var action in actions)
        {
            var (ja, en) = AuditLabels.Of(action);
            Assert.False(ja == action || en == action, $"{action} has no label");
            Assert.Matches(@"[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}]", ja);
            // Each event type belongs to an area (record.* by its record type instead).
            Assert.True(action.StartsWith("record.") || AuditLabels.Areas.Any(a => AuditLabels.Scope(a.Area).Prefixes.Any(action.StartsWith)), $"{action} has no area");
        }
    }

    [Fact]
    public void A_change_reads_as_one_line_with_the_record_named_and_old_and_new_values()
    {
        var summary = AuditLabels.Summary(Entry(AuditActions.Update, "Asset", """{"Location":["外来","病棟"],"ControlNumber":["PC-1","PC-1"]}"""));
        Assert.Equal("変更：機器「PC-1」 Location: 外来 → 病棟、ControlNumber: PC-1 → PC-1", summary.Ja);
        Assert.Equal("Changed: device “PC-1” Location: 外来 → 病棟, ControlNumber: PC-1 → PC-1", summary.En);
    }

    [Fact]
    public void Role_changes_and_a_review_by_the_signer_read_in_japanese()
    {
        Assert.Equal("メンバーの役割を変更：山田: 閲覧者 → 管理者（安全管理責任者）・経営層",
            AuditLabels.Summary(Entry(AuditActions.MemberRolesChanged, "Membership", """{"member":"山田","before":["Viewer"],"after":["Administrator","Executive"]}""")).Ja);
        Assert.Equal("経営層が確認：1回目・同一人物（管理者と経営層を兼務）",
            AuditLabels.Summary(Entry(AuditActions.ChecklistReviewed, "ChecklistSeal", """{"round":1,"sha256":"ab","sameAsSigner":"同一人物（管理者と経営層を兼務）"}""")).Ja);
        // An event type added later, without a label, still shows (as its code) instead of failing the page.
        Assert.Equal("mail.sent：宛先: a@b.example", AuditLabels.Summary(Entry("mail.sent", null, """{"recipient":"a@b.example"}""")).Ja);
        Assert.Equal("事業者確認用を依頼：版: checklist-r7、システム: 電子カルテ",
            AuditLabels.Summary(Entry(AuditActions.VendorRequestCreated, "VendorRequest", """{"EditionFileId":"checklist-r7","system":"電子カルテ","sha256":"ab"}""")).Ja);
        Assert.Equal("閲覧", AuditLabels.Summary(Entry(AuditActions.View, null, "not json")).Ja);
    }

    [Theory]
    [InlineData("ledger", AuditArea.Ledger)]
    [InlineData("signin", AuditArea.SignIn)]
    [InlineData("organization", AuditArea.Organization)]
    [InlineData("nonsense", null)]
    [InlineData(null, null)]
    public void Areas_are_read_from_the_query_string(string? value, AuditArea? area) => Assert.Equal(area, AuditLabels.ParseArea(value));
}
