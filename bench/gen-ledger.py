#!/usr/bin/env python3
"""Deterministic 機器台帳 (asset ledger) for bench/assets.sh — standard library only, no pip.

    python3 bench/gen-ledger.py OUT_DIR [ROWS]

Writes the same ROWS (default 100,000) rows three times:
  OUT_DIR/ledger.csv        UTF-8 with BOM, CRLF (what Excel's 「CSV UTF-8」 writes)
  OUT_DIR/ledger-sjis.csv   Shift_JIS (CP932), CRLF, no BOM (Excel's 「CSV（コンマ区切り）」)
  OUT_DIR/ledger.xlsx       minimal SpreadsheetML written by hand: inline strings, 登録日 as date serials (numFmt 14)
The PostgreSQL COPY baseline loads ledger.csv itself (COPY … CSV HEADER skips the line with the BOM; 2020/12/1 is a
valid date input in any DateStyle since the year comes first).

Columns (Japanese headers as in the MHLW training ledger, seed 002, plus 種別 and 型番):
  管理番号 種別 メーカー 型番 OS ソフトウェア ソフトウェアバージョン IPアドレス コンピュータ名 設置場所 利用者 登録日 状態 説明
Every 管理番号 and IP address is unique. Computer names are "Room{room}-{kind}{n}" (as in the training example's
「Room1のPC1」; 20 devices per room), so ?q=Room matches every row and ?q=Room4321- exactly 20. All names are fictional.
"""
import csv
import datetime
import io
import os
import random
import sys
import zipfile

HEADERS = ["管理番号", "種別", "メーカー", "型番", "OS", "ソフトウェア", "ソフトウェアバージョン", "IPアドレス",
           "コンピュータ名", "設置場所", "利用者", "登録日", "状態", "説明"]

# (prefix, 種別, weight, makers, models, OS choices, software choices)
KINDS = [
    ("PC", "端末PC", 70, ["サンプル電機", "デモテック", "見本コンピュータ"], ["SD-7400", "DT-Mini 3", "MC-D500", "SD-N14"],
     [("Windows 11 Pro", 60), ("Windows 11 Enterprise", 25), ("Windows 10 Pro", 12), ("Windows 8.1 Pro", 3)],
     [("サンプル電子カルテ", "7.3.2"), ("サンプル医事会計", "3.8.1"), ("デモPACS ビューア", "12.0.4"), ("模擬検査システム", "4.1.0"),
      ("ブラウザ・オフィスソフト", "")]),
    ("SV", "サーバ", 3, ["サンプル電機"], ["SR-2400", "SR-3600", "SR-4800"],
     [("Windows Server 2022 Standard", 50), ("Windows Server 2019 Standard", 35), ("Windows Server 2012 R2 Standard", 5),
      ("Red Hat Enterprise Linux 9", 10)],
     [("サンプル電子カルテ サーバ", "7.3.2"), ("デモPACS", "12.0.4"), ("ファイル共有", ""), ("サンプルバックアップ", "11.5")]),
    ("NW", "スイッチ", 5, ["例示ネットワークス"], ["L2-2400", "L3-9600"], [("", 1)], [("", "")]),
    ("AP", "無線AP", 5, ["例示ネットワークス"], ["AP-650"], [("", 1)], [("", "")]),
    ("PR", "プリンタ", 8, ["ダミー事務機"], ["DX-L300", "DX-C5000"], [("", 1)], [("", "")]),
    ("ME", "医療機器（生体モニタ）", 3, ["テスト生体情報"], ["TB-CNS6", "TB-BM3"], [("Windows 10 IoT Enterprise LTSC 2021", 1)],
     [("セントラルモニタ", "6.1")]),
    ("MD", "医療機器（モダリティ）", 2, ["デモメディカル", "見本精機"], ["DM-CT64", "DM-MR15", "MS-DR3"],
     [("Windows 10 IoT Enterprise LTSC 2019", 1)], [("撮影コンソール", "3.2")]),
    ("NC", "ナースコール", 2, ["見本ナースコール"], ["NC-700"], [("", 1)], [("", "")]),
    ("OQ", "オンライン資格確認端末", 1, ["見本コンピュータ"], ["MC-OQ1"], [("Windows 11 Pro", 1)], [("資格確認端末ソフト", "2.3")]),
    ("RC", "受付機", 1, ["例示メディカル"], ["RP-RCP2", "RP-PAY3"], [("Windows 10 IoT Enterprise LTSC 2021", 1)], [("再来受付", "5.0")]),
]
SITES = ["本院", "東分院", "西分院", "北クリニック", "南クリニック", "健診センター", "リハビリセンター", "在宅医療センター"]
DEPTS = ["外来", "病棟", "医事課", "放射線科", "検査科", "薬剤部", "手術室", "栄養科", "医局", "総務課", "地域医療連携室", "情報システム室"]
USERS = ["医師", "看護師（共用）", "医事課（共用）", "診療放射線技師", "臨床検査技師", "薬剤師", "管理栄養士", "事務職員", "情報システム室"]
STATUS = [("稼働", 90), ("停止", 3), ("保管", 4), ("廃棄", 3)]
NOTES = ["", "", "", "", "", "", "メンテナンス", "予備機", "リース契約", "保守契約あり", "入れ替え予定", "検査機器接続用"]


def weighted(rng, choices):
    total = sum(w for _, w in choices)
    r = rng.uniform(0, total)
    for value, w in choices:
        r -= w
        if r <= 0:
            return value
    return choices[-1][0]


def rows(count):
    rng = random.Random(20261121)
    kinds = [(k, k[2]) for k in KINDS]
    numbers = {}
    day0 = datetime.date(2012, 4, 1).toordinal()
    span = datetime.date(2026, 10, 31).toordinal() - day0
    for i in range(count):
        prefix, category, _, makers, models, oses, software = weighted(rng, kinds)
        numbers[prefix] = numbers.get(prefix, 0) + 1
        n = numbers[prefix]
        room = i // 20 + 1
        sw, version = rng.choice(software)
        os_name = weighted(rng, oses)
        if os_name.startswith("Windows 11"):
            os_name += " 25H2" if "Pro" in os_name else " 24H2"
        elif os_name == "Windows 10 Pro":
            os_name += " 22H2"
        yield [
            f"{prefix}-{n:06d}",
            category,
            rng.choice(makers),
            rng.choice(models),
            os_name,
            sw,
            version,
            f"10.{i // 64000}.{(i // 250) % 256}.{i % 250 + 1}",
            f"Room{room}-{prefix}{i % 20 + 1}",
            f"{SITES[i % len(SITES)]} {rng.randint(1, 8)}階 {rng.choice(DEPTS)} Room{room}",
            rng.choice(USERS),
            datetime.date.fromordinal(day0 + rng.randrange(span)),
            weighted(rng, STATUS),
            rng.choice(NOTES),
        ]


def ymd_slash(d):
    return f"{d.year}/{d.month}/{d.day}"


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def column_letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="機器台帳" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
# cellXfs 0: General; 1: numFmt 14 (a built-in date format: yyyy/m/d in a Japanese Excel).
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Yu Gothic"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""
EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()


def write_xlsx(path, data):
    letters = [column_letter(i) for i in range(len(HEADERS))]

    def row_xml(r, values):
        cells = []
        for c, v in enumerate(values):
            ref = f"{letters[c]}{r}"
            if isinstance(v, datetime.date):
                cells.append(f'<c r="{ref}" s="1"><v>{v.toordinal() - EXCEL_EPOCH}</v></c>')
            elif v != "":
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(v)}</t></is></c>')
        return f'<row r="{r}">' + "".join(cells) + "</row>"

    def entry(name):  # a fixed timestamp, so the same rows give a byte-identical file
        info = zipfile.ZipInfo(name, date_time=(2026, 11, 21, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, text in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS), ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), ("xl/styles.xml", STYLES)]:
            z.writestr(entry(name), text)
        with z.open(entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as raw:
            out = io.BufferedWriter(raw, buffer_size=1 << 20)
            out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            out.write(row_xml(1, HEADERS).encode())
            for r, values in enumerate(data, start=2):
                out.write(row_xml(r, values).encode())
            out.write(b"</sheetData></worksheet>")
            out.flush()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    os.makedirs(out_dir, exist_ok=True)
    data = list(rows(count))
    as_text = [[ymd_slash(v) if isinstance(v, datetime.date) else v for v in r] for r in data]

    with open(os.path.join(out_dir, "ledger.csv"), "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADERS)
        w.writerows(as_text)
    with open(os.path.join(out_dir, "ledger-sjis.csv"), "w", encoding="cp932", errors="strict", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADERS)
        w.writerows(as_text)
    write_xlsx(os.path.join(out_dir, "ledger.xlsx"), data)
    for name in ("ledger.csv", "ledger-sjis.csv", "ledger.xlsx"):
        print(f"{name}\t{os.path.getsize(os.path.join(out_dir, name))}")


if __name__ == "__main__":
    main()
