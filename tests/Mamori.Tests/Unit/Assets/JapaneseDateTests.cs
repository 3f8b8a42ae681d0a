using Mamori.Assets.Import;

namespace Mamori.Tests.Unit.Assets;

public sealed class JapaneseDateTests
{
    [Theory]
    [InlineData("令和2年12月1日", 2020, 12, 1)]
    [InlineData("R2.12.1", 2020, 12, 1)]
    [InlineData("r2/12/1", 2020, 12, 1)]
    [InlineData("H30/4/1", 2018, 4, 1)]
    [InlineData("平成30年4月1日", 2018, 4, 1)]
    [InlineData("S64.1.7", 1989, 1, 7)]
    [InlineData("令和元年5月1日", 2019, 5, 1)]
    [InlineData("平成31年4月30日", 2019, 4, 30)]
    [InlineData("2020/12/1", 2020, 12, 1)]
    [InlineData("2020-12-01", 2020, 12, 1)]
    [InlineData("2020年12月1日", 2020, 12, 1)]
    [InlineData("20201201", 2020, 12, 1)]
    [InlineData("２０２０／１２／１", 2020, 12, 1)]
    [InlineData("令和２年１２月１日", 2020, 12, 1)]
    [InlineData("2020/12/1 0:00", 2020, 12, 1)]
    [InlineData(" 2024.7.1 ", 2024, 7, 1)]
    public void Reads_each_style(string text, int year, int month, int day)
    {
        Assert.True(JapaneseDate.TryParse(text, out var date, out var error), error);
        Assert.Equal(new DateOnly(year, month, day), date);
        Assert.Null(error);
    }

    [Fact]
    public void An_impossible_date_is_named_in_the_message()
    {
        Assert.False(JapaneseDate.TryParse("令和2年2月30日", out _, out var error));
        Assert.Equal("令和2年2月30日 は存在しない日付です", error);
        Assert.False(JapaneseDate.TryParse("2023/2/29", out _, out error));
        Assert.Equal("2023/2/29 は存在しない日付です", error);
    }

    [Theory]
    [InlineData("平成31年5月1日", "平成は2019年4月30日まで")]
    [InlineData("平成32年1月1日", "平成は2019年4月30日まで")]
    [InlineData("令和1年4月30日", "令和は2019年5月1日から")]
    public void Dates_outside_their_era_are_rejected(string text, string reason)
    {
        Assert.False(JapaneseDate.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("20/12/1")]
    [InlineData("44166")]
    public void Unreadable_text_is_rejected(string text)
    {
        Assert.False(JapaneseDate.TryParse(text, out _, out var error));
        Assert.StartsWith($"「{text}」は日付として読めません", error);
    }

    [Fact]
    public void An_excel_serial_is_read_only_from_a_number_cell()
    {
        Assert.True(JapaneseDate.TryParse("44166", fromExcelNumber: true, out var date, out _));
        Assert.Equal(new DateOnly(2020, 12, 1), date);
        Assert.True(JapaneseDate.TryParse("20201201", fromExcelNumber: true, out date, out _)); // too large for a serial
        Assert.Equal(new DateOnly(2020, 12, 1), date);
    }

    [Theory]
    [InlineData(1, false, 1900, 1, 1)]
    [InlineData(59, false, 1900, 2, 28)]
    [InlineData(61, false, 1900, 3, 1)]
    [InlineData(44166.75, false, 2020, 12, 1)]
    [InlineData(42704, true, 2020, 12, 1)]
    public void Excel_serials_follow_excel(double serial, bool date1904, int year, int month, int day)
    {
        Assert.True(JapaneseDate.TryFromExcelSerial(serial, date1904, out var date));
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Fact]
    public void Excel_s_phantom_1900_02_29_is_not_a_date() => Assert.False(JapaneseDate.TryFromExcelSerial(60, false, out _));
}
