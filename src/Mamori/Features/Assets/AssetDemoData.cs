using System.Globalization;

namespace Mamori.Features.Assets;

/// <summary>
/// The 機器台帳 of 「デモ総合病院」 (200 beds, four wards): about 300 devices, six external connections and three cloud
/// services, with the typical problems a first inspection finds — Windows 8.1 PCs in 検査科, Windows 10 past its end
/// of support, one PC on both the 電子カルテ and the internet network (2枚挿し), a 給食 vendor on a shared account
/// without a second factor and not confirmed this fiscal year, a VPN appliance whose firmware nobody knows, a vital-sign
/// monitor vendor on an LTE router with remote desktop open behind it. Every company, product and address is fictional
/// (company names end in 株式会社 but none exists; domains are .example, WAN addresses are 203.0.113.0/24 and MAC
/// addresses locally administered).
/// <para>
/// Deterministic: a fixed seed, and dates relative to <c>today</c>, so two calls with the same day give the same
/// ledger (apart from the entities' <c>Id</c>s, which are new each call).
/// </para>
/// </summary>
public static class AssetDemoData
{
    public const string UpdatedBy = "デモデータ";
    const int Seed = 20_261_121;

    // Maintenance vendors (fictional).
    const string EhrVendor = "サンプル医療システム株式会社";
    const string PacsVendor = "デモ画像ソリューション株式会社";
    const string FoodVendor = "架空メディカル給食株式会社";
    const string MonitorVendor = "テスト生体情報株式会社";
    const string NurseCallVendor = "見本ナースコール株式会社";
    const string NetworkVendor = "仮想ネットワークサービス株式会社";
    const string LabVendor = "模擬検査システム株式会社";
    const string OfficeVendor = "ダミー事務機株式会社";
    const string ReceptionVendor = "例示メディカルサービス株式会社";

    const string Win11Pro = "Windows 11 Pro";
    const string Win11Enterprise = "Windows 11 Enterprise";
    const string Edr = "サンプルEDR 8";
    const string Antivirus = "見本ウイルス対策 12";

    public static (List<Asset> Assets, List<Connection> Connections, List<CloudService> CloudServices) Build(Guid organizationId, DateOnly today)
    {
        var b = new Builder(organizationId, today);
        b.Servers();
        b.TerminalPcs();
        b.NetworkDevices();
        b.MedicalDevices();
        b.FrontDesk();
        b.Printers();
        return (b.Assets, b.Connections(), CloudServices(organizationId, today));
    }

    sealed class Builder(Guid organizationId, DateOnly today)
    {
        readonly Random rng = new(Seed);
        readonly Dictionary<string, int> numbers = [];
        readonly Dictionary<int, int> hosts = [];
        public List<Asset> Assets { get; } = [];

        // The devices the connections terminate on.
        Asset ehrVpn = null!, pacsVpn = null!, foodVpn = null!, lteRouter = null!, utm = null!;

        static readonly string[] Wards = ["3階東病棟", "3階西病棟", "4階東病棟", "4階西病棟"];

        // ---------------------------------------------------------------- servers (サーバ室)
        public void Servers()
        {
            Server("電子カルテサーバ（本番）", "Windows Server 2022 Standard", "サンプル電子カルテ サーバ", "7.3.2", EhrVendor, 5);
            Server("電子カルテサーバ（待機系）", "Windows Server 2022 Standard", "サンプル電子カルテ サーバ", "7.3.2", EhrVendor, 5);
            Server("電子カルテ DBサーバ", "Red Hat Enterprise Linux 9", "サンプル電子カルテ データベース", "7.3.2", EhrVendor, 5);
            Server("PACSサーバ", "Windows Server 2022 Standard", "デモPACS", "12.0.4", PacsVendor, 4, "画像保存期間 5年分。画像は院内のストレージに保存。");
            Server("放射線部門システム（RIS）サーバ", "Windows Server 2019 Standard", "デモRIS", "6.2", PacsVendor, 6);
            Server("検査システムサーバ", "Windows Server 2019 Standard", "模擬検査システム", "4.1.0", LabVendor, 6);
            Server("旧検査データ参照サーバ", "Windows Server 2012 R2 Standard", "模擬検査システム（旧版）", "2.8", LabVendor, 11,
                "旧システムの検査結果を参照するためだけに残している。更新できないため入れ替えを検討中。");
            Server("医事会計サーバ", "Windows Server 2022 Standard", "サンプル医事会計", "3.8.1", EhrVendor, 4);
            Server("ADサーバ（1号機）", "Windows Server 2022 Standard", "Active Directory ドメインサービス", null, NetworkVendor, 3, site: true);
            Server("ADサーバ（2号機）", "Windows Server 2022 Standard", "Active Directory ドメインサービス", null, NetworkVendor, 3, site: true);
            Server("ファイルサーバ", "Windows Server 2019 Standard", "ファイル共有", null, NetworkVendor, 6, site: true);
            Server("バックアップサーバ", "Windows Server 2022 Standard", "サンプルバックアップ", "11.5", EhrVendor, 4,
                "電子カルテ・PACS・医事会計を毎日バックアップ。世代管理7世代。");
            var nas = Add("NAS", 3, AssetCategory.Storage, "バックアップ用NAS（オフライン保管）", "サーバ室", 1);
            (nas.Manufacturer, nas.Model, nas.Firmware, nas.MaintenanceVendor, nas.SecurityUpdatesBy) =
                ("デモストレージ", "DS-NAS8", "4.2.1", EhrVendor, SecurityUpdateResponsibility.Vendor);
            (nas.UserName, nas.Description, nas.Authentication) = ("情報システム室", "週1回バックアップを取得した後、ネットワークから切り離して保管。", "ID・パスワード");
        }

        void Server(string name, string os, string software, string? version, string vendor, int ageYears, string? description = null, bool site = false)
        {
            var a = Add("SV", 3, AssetCategory.Server, name, "サーバ室", 1, ageYears);
            (a.Manufacturer, a.Model, a.OperatingSystem, a.Software, a.SoftwareVersion) = ("サンプル電機", Pick("SR-2400", "SR-3600", "SR-4800"), os, software, version);
            (a.UserName, a.MaintenanceVendor, a.Description) = ("情報システム室", vendor, description);
            a.SecurityUpdatesBy = site ? SecurityUpdateResponsibility.Site : SecurityUpdateResponsibility.Vendor;
            (a.AntiMalware, a.Authentication) = (Edr, "ID・パスワード（管理者は個人ID）");
            a.ComputerName = "DEMO-" + a.ControlNumber.Replace("-", "");
        }

        // ---------------------------------------------------------------- 端末PC
        public void TerminalPcs()
        {
            for (var room = 1; room <= 12; room++)
            {
                Pc($"外来{room}診察室", 10, "外来 医師", "医師用");
                Pc($"外来{room}診察室", 10, "外来 看護師（共用）", "看護師用");
            }
            Pcs(2, "外来処置室", 10, "外来 看護師（共用）");
            Pcs(4, "救急外来", 10, "救急外来（共用）");
            Pcs(2, "中央処置室", 10, "外来 看護師（共用）");
            foreach (var ward in Wards)
            {
                Pcs(12, ward + " ナースステーション", 11, ward + " 看護師（共用）");
                Pcs(6, ward, 11, ward + " 看護師（回診用ノートPC）", notebook: true);
            }
            Pcs(16, "医局", 11, "医師（個人）");
            Pcs(20, "医事課", 12, "医事課（共用）", software: ("サンプル医事会計 クライアント", "3.8.1"));
            Pcs(6, "放射線科", 13, "放射線科 診療放射線技師", software: ("デモPACS ビューア", "12.0.4"));
            Pc("放射線科 読影室", 13, "放射線科医（読影）", "読影端末", software: ("デモPACS 読影ビューア", "12.0.4"));
            Pc("放射線科 読影室", 13, "放射線科医（読影）", "読影端末", software: ("デモPACS 読影ビューア", "12.0.4"));
            Pc("放射線科", 13, "放射線科（共用）", "画像取込", os: ("Windows 10 Pro", "22H2"), ageYears: 7,
                description: "CD-R の画像取込用。PACS ビューアの対応待ちで Windows 10 のまま。");
            Pc("放射線科", 13, "放射線科（共用）", "旧モダリティ接続", os: ("Windows 8.1 Pro", null), ageYears: 10,
                description: "旧型の一般撮影装置との接続用。装置メーカーの指定で OS を更新できない。");
            Pcs(6, "検査科", 14, "検査科 臨床検査技師", software: ("模擬検査システム クライアント", "4.1.0"));
            Pc("検査科", 14, "検査科（共用）", "自動分析装置接続", os: ("Windows 8.1 Pro", null), ageYears: 9, software: ("模擬検査システム 分析装置連携", "2.8"),
                description: "生化学自動分析装置との接続用。メーカー指定のため更新不可。");
            Pc("検査科", 14, "検査科（共用）", "血液分析装置接続", os: ("Windows 8.1 Pro", null), ageYears: 9, software: ("模擬検査システム 分析装置連携", "2.8"),
                description: "血液分析装置との接続用。メーカー指定のため更新不可。");
            Pc("検査科 生理検査室", 14, "検査科 臨床検査技師", "心電図ファイリング", os: ("Windows 10 Pro", "22H2"), ageYears: 7, supportEndsOn: new DateOnly(2027, 10, 12),
                description: "ESU（拡張セキュリティ更新）契約済み。2027年度に入れ替え予定。");
            Pcs(8, "薬剤部", 15, "薬剤部 薬剤師", software: ("サンプル薬剤管理", "2.4"));
            Pcs(6, "手術室", 16, "手術室 看護師（共用）");
            Pcs(4, "栄養科", 16, "栄養科 管理栄養士", software: ("架空給食管理", "5.0"));
            Pcs(4, "リハビリテーション科", 16, "リハビリテーション科 療法士");
            Pc("リハビリテーション科", 16, "リハビリテーション科（共用）", "リハビリ記録", os: ("Windows 10 Pro", "22H2"), ageYears: 8);
            Pc("リハビリテーション科", 16, "リハビリテーション科（共用）", "リハビリ記録", os: ("Windows 10 Pro", "22H2"), ageYears: 8);
            Pcs(3, "内視鏡室", 16, "内視鏡室（共用）");
            Pcs(4, "地域医療連携室", 12, "地域医療連携室 医療ソーシャルワーカー");
            DualHomedPc();
            Pcs(10, "総務課", 100, "総務課（個人）", internet: true);
            Pcs(4, "看護部", 12, "看護部（看護部長・副看護部長）");
            Pcs(4, "健診センター", 12, "健診センター（共用）", software: ("サンプル健診システム", "1.9"));
            Pc("健診センター", 12, "健診センター（共用）", "健診結果入力", os: ("Windows 10 Pro", "22H2"), ageYears: 8);
            Pc("健診センター", 12, "健診センター（共用）", "健診結果入力", os: ("Windows 10 Enterprise", "22H2"), ageYears: 8, supportEndsOn: new DateOnly(2027, 10, 12),
                description: "ESU（拡張セキュリティ更新）契約済み。");
            Pcs(6, "情報システム室", 12, "情報システム室（個人）");
            Pcs(2, "情報システム室", 100, "情報システム室（インターネット閲覧用）", internet: true);
            var spare = Pcs(2, "情報システム室 倉庫", 12, "情報システム室", status: AssetStatus.Stored);
            foreach (var a in spare) (a.Description, a.IpAddress) = ("予備機（故障時の差し替え用）。", null);
        }

        List<Asset> Pcs(int count, string location, int network, string user, bool notebook = false, bool internet = false,
            (string Name, string Version)? software = null, AssetStatus status = AssetStatus.InUse) =>
            Enumerable.Range(0, count).Select(_ => Pc(location, network, user, notebook ? "回診用ノートPC" : null, notebook, internet, software: software, status: status)).ToList();

        /// <summary>One 端末PC. Windows 11 unless <paramref name="os"/> says otherwise.</summary>
        Asset Pc(string location, int network, string user, string? role = null, bool notebook = false, bool internet = false,
            (string Name, string? Version)? os = null, int? ageYears = null, (string Name, string Version)? software = null,
            string? description = null, DateOnly? supportEndsOn = null, AssetStatus status = AssetStatus.InUse)
        {
            var a = Add("PC", 4, AssetCategory.TerminalPc, null, location, network, ageYears ?? rng.Next(1, 5));
            a.Name = (internet ? "インターネット用PC" : notebook ? "電子カルテ端末（ノート）" : "電子カルテ端末") + (role is null || notebook ? "" : $"（{role}）");
            a.Manufacturer = Pick("サンプル電機", "デモテック", "見本コンピュータ");
            a.Model = notebook ? Pick("SD-N14", "DT-Note 5") : Pick("SD-7400", "DT-Mini 3", "MC-D500");
            (a.OperatingSystem, a.OsVersion) = os ?? (rng.Next(10) < 7 ? (Win11Pro, "25H2") : (Win11Enterprise, "24H2"));
            (a.Software, a.SoftwareVersion) = internet ? ("ブラウザ・オフィスソフト", null) : software ?? ("サンプル電子カルテ クライアント", "7.3.2");
            a.ComputerName = (internet ? "NET-" : "KRT-") + a.ControlNumber[3..];
            (a.UserName, a.Description, a.SupportEndsOn, a.Status) = (user, description, supportEndsOn, status);
            a.MaintenanceVendor = internet ? OfficeVendor : EhrVendor;
            a.SecurityUpdatesBy = a.OperatingSystem.Contains("8.1", StringComparison.Ordinal) ? SecurityUpdateResponsibility.Unknown : SecurityUpdateResponsibility.Site;
            a.AntiMalware = a.OperatingSystem.Contains("8.1", StringComparison.Ordinal) ? "なし（メーカー指定）" : internet ? Edr : Antivirus;
            a.Authentication = user.Contains("共用", StringComparison.Ordinal) ? "ICカード（職員証）＋パスワード" : "ID・パスワード";
            return a;
        }

        /// <summary>The 2枚挿し: a 地域医療連携室 PC on the 電子カルテ network and the internet network, for referral letters.</summary>
        void DualHomedPc()
        {
            var a = Pc("地域医療連携室", 12, "地域医療連携室（共用）", "紹介状送受信", software: ("サンプル電子カルテ クライアント", "7.3.2"),
                description: "紹介状をインターネット経由の文書共有サービスで受け取り、電子カルテに取り込むため LAN を2本つないでいる。");
            a.Interfaces =
            [
                new() { AssetId = a.Id, Name = "LAN1", IpAddress = a.IpAddress, MacAddress = a.MacAddress, Segment = "電子カルテ系" },
                new() { AssetId = a.Id, Name = "LAN2", IpAddress = Ip(100), MacAddress = Mac(), Segment = "インターネット系" },
            ];
        }

        // ---------------------------------------------------------------- network
        public void NetworkDevices()
        {
            utm = Add("FW", 3, AssetCategory.Firewall, "UTM（インターネット境界）", "サーバ室", 0);
            (utm.Manufacturer, utm.Model, utm.Firmware) = ("例示ネットワークス", "XG-500", "7.4.8");
            TwoSides(utm, "院内基幹");
            var fw2 = Add("FW", 3, AssetCategory.Firewall, "ファイアウォール（電子カルテ系・部門系の境界）", "サーバ室", 0);
            (fw2.Manufacturer, fw2.Model, fw2.Firmware) = ("例示ネットワークス", "XG-200", "7.2.11");
            (fw2.UserName, fw2.Authentication) = ("情報システム室", "管理者ID・パスワード");
            foreach (var a in new[] { utm, fw2 })
                (a.MaintenanceVendor, a.SecurityUpdatesBy, a.Description) = (NetworkVendor, SecurityUpdateResponsibility.Vendor, "保守業者が常時監視（UTM監視サービス）。");

            ehrVpn = Vpn("電子カルテ保守用 VPN ルータ", "サンプルルータ", "SR-VPN700", "Rev.15.02.30", EhrVendor, "IPsec-VPN。電子カルテ・医事会計の保守に使う。");
            // A real product on an old FortiOS (v6.0.4 is in the range of CVE-2018-13379, the entry of the 2021 半田病院 case): the vulnerabilities area shows it.
            pacsVpn = Vpn("PACS保守用 SSL-VPN 装置", "Fortinet", "FortiGate-60F", "v6.0.4 build0231", PacsVendor, "SSL-VPN。PACS・RIS の保守に使う。");
            foodVpn = Vpn("給食システム保守用 VPN 装置", "見本通信", "MT-VPN10", null, FoodVendor,
                "給食業者が持ち込んだ装置。ファームウェアの版は業者に確認中。");

            lteRouter = Add("LTE", 3, AssetCategory.MobileRouter, "生体モニタ保守用 LTE ルータ", "3階東病棟 ナースステーション", 60);
            (lteRouter.Manufacturer, lteRouter.Model, lteRouter.Firmware, lteRouter.MaintenanceVendor) = ("見本通信", "MT-LTE4", "2.1.0", MonitorVendor);
            (lteRouter.SecurityUpdatesBy, lteRouter.Description) = (SecurityUpdateResponsibility.Unknown,
                "生体モニタの業者がセントラルモニタの横に設置。院内ネットワークを通らず LTE で直接つながる。");

            var core = Add("NW", 3, AssetCategory.Switch, "コアスイッチ（L3）", "サーバ室", 0);
            (core.Manufacturer, core.Model, core.Firmware) = ("例示ネットワークス", "L3-9600", "16.12.4");
            string[] floors = ["1階 電算室ラック", "1階 医事課", "1階 放射線科", "1階 検査科", "2階 外来", "2階 手術室", "3階東病棟", "3階西病棟",
                "4階東病棟", "4階西病棟", "5階 医局", "5階 管理部門"];
            foreach (var floor in floors)
            {
                var sw = Add("NW", 3, AssetCategory.Switch, $"フロアスイッチ（{floor}）", floor + " 配線盤", 200);
                (sw.Manufacturer, sw.Model, sw.Firmware) = ("例示ネットワークス", "L2-2400", Pick("5.4.1", "5.4.1", "5.3.9"));
            }
            string[] apPlaces = [.. Wards.SelectMany(w => new[] { w + " ナースステーション", w + " 病室側", w + " デイルーム" }),
                "外来 1階", "外来 2階", "救急外来", "医局", "手術室"];
            foreach (var place in apPlaces.Concat(["会議室", "リハビリテーション科", "健診センター"]))
            {
                var ap = Add("AP", 3, AssetCategory.WirelessAp, "無線アクセスポイント", place, 200);
                (ap.Manufacturer, ap.Model, ap.Firmware) = ("例示ネットワークス", "AP-650", "8.10.2");
                ap.Description = place.Contains("会議室", StringComparison.Ordinal) ? "来客・職員用ゲスト Wi-Fi（インターネット系）。" : "電子カルテ系の無線（回診用ノートPC）。";
            }
            foreach (var a in Assets.Where(a => a.Category is AssetCategory.Switch or AssetCategory.WirelessAp))
                (a.MaintenanceVendor, a.SecurityUpdatesBy, a.UserName, a.Authentication) = (NetworkVendor, SecurityUpdateResponsibility.Vendor, "情報システム室", "管理者ID・パスワード");
        }

        Asset Vpn(string name, string maker, string model, string? firmware, string vendor, string description)
        {
            var a = Add("VPN", 3, AssetCategory.VpnAppliance, name, "サーバ室", 250);
            (a.Manufacturer, a.Model, a.Firmware, a.MaintenanceVendor, a.Description) = (maker, model, firmware, vendor, description);
            a.SecurityUpdatesBy = firmware is null ? SecurityUpdateResponsibility.Unknown : SecurityUpdateResponsibility.Vendor;
            TwoSides(a, "保守回線");
            return a;
        }

        /// <summary>WAN side (documentation addresses 203.0.113.0/24) and LAN side of a network appliance.</summary>
        void TwoSides(Asset a, string lanSegment)
        {
            (a.UserName, a.Authentication) = ("情報システム室", "管理者ID・パスワード");
            a.Interfaces =
            [
                new() { AssetId = a.Id, Name = "WAN", IpAddress = $"203.0.113.{10 + Assets.Count % 200}", MacAddress = Mac(), Segment = "インターネット（WAN）" },
                new() { AssetId = a.Id, Name = "LAN", IpAddress = a.IpAddress, MacAddress = a.MacAddress, Segment = lanSegment },
            ];
        }

        // ---------------------------------------------------------------- 医療機器
        public void MedicalDevices()
        {
            Medical("CT", "CT装置（64列）", "放射線科 CT室", 20, "デモメディカル", "DM-CT64", "Windows 10 IoT Enterprise", "LTSC 2021", PacsVendor);
            Medical("MRI", "MRI装置（1.5T）", "放射線科 MRI室", 20, "デモメディカル", "DM-MR15", "Windows 10 IoT Enterprise", "LTSC 2019", PacsVendor);
            Medical("X線", "一般撮影装置（FPD）", "放射線科 一般撮影室1", 20, "見本精機", "MS-DR3", "Windows 10 IoT Enterprise", "LTSC 2021", PacsVendor);
            Medical("X線", "ポータブル撮影装置", "放射線科", 20, "見本精機", "MS-PX1", "Windows 10 IoT Enterprise", "LTSC 2021", PacsVendor);
            Medical("超音波", "超音波診断装置", "検査科 生理検査室", 14, "見本精機", "MS-US7", "Windows 10 IoT Enterprise", "LTSC 2021", LabVendor);
            Medical("心電計", "心電計", "検査科 生理検査室", 14, "見本精機", "MS-ECG2", null, null, LabVendor);
            Medical("内視鏡", "内視鏡システム", "内視鏡室", 16, "デモメディカル", "DM-EV9", null, null, PacsVendor);
            foreach (var ward in Wards)
            {
                var central = Medical("生体モニタ", "セントラルモニタ", ward + " ナースステーション", 60, "テスト生体情報", "TB-CNS6",
                    "Windows 10 IoT Enterprise", "LTSC 2021", MonitorVendor);
                if (ward == Wards[0])
                {
                    central.Description = "業者の遠隔保守用にリモートデスクトップを有効にしている（LTE ルータ経由）。";
                    central.OpenPorts =
                    [
                        new() { AssetId = central.Id, Port = 3389, Protocol = "tcp", Service = "ms-wbt-server", SeenAt = SeenAt(), Source = "nmap" },
                        new() { AssetId = central.Id, Port = 5900, Protocol = "tcp", Service = "vnc", SeenAt = SeenAt(), Source = "nmap" },
                    ];
                }
            }
            foreach (var ward in Wards)
                Medical("ナースコール", "ナースコール親機", ward + " ナースステーション", 50, "見本ナースコール", "NC-700", null, null, NurseCallVendor);
            var server = Medical("ナースコール", "ナースコール制御サーバ", "サーバ室", 50, "見本ナースコール", "NC-SV2", "Windows Server 2019 Standard", null, NurseCallVendor);
            server.Description = "PHS・スマートフォンへの呼び出し転送。";
        }

        Asset Medical(string kind, string name, string location, int network, string maker, string model, string? os, string? osVersion, string vendor)
        {
            var a = Add("ME", 3, AssetCategory.MedicalDevice, name, location, network, rng.Next(2, 9));
            (a.MedicalDeviceType, a.Manufacturer, a.Model, a.OperatingSystem, a.OsVersion) = (kind, maker, model, os, osVersion);
            (a.MaintenanceVendor, a.SecurityUpdatesBy, a.UserName) = (vendor, SecurityUpdateResponsibility.Vendor, location.Split(' ')[0]);
            a.Firmware = os is null ? $"{rng.Next(1, 6)}.{rng.Next(0, 10)}" : null;
            a.AntiMalware = os is null ? null : "メーカー指定のホワイトリスト型対策";
            return a;
        }

        // ---------------------------------------------------------------- 受付・会計, オンライン資格確認
        public void FrontDesk()
        {
            var oq = Add("OQ", 3, AssetCategory.OnlineEligibilityTerminal, "オンライン資格確認端末", "医事課", 40, 3);
            (oq.Manufacturer, oq.Model, oq.OperatingSystem, oq.OsVersion) = ("見本コンピュータ", "MC-OQ1", Win11Pro, "25H2");
            (oq.Software, oq.SoftwareVersion, oq.MaintenanceVendor) = ("資格確認端末ソフト", "2.3", ReceptionVendor);
            (oq.SecurityUpdatesBy, oq.AntiMalware, oq.Authentication, oq.UserName) = (SecurityUpdateResponsibility.Vendor, Antivirus, "ID・パスワード", "医事課");
            oq.Description = "オンライン資格確認等システムへの閉域接続（IP-VPN）。電子カルテ系とはファイアウォールで分離。";
            foreach (var place in new[] { "1階 総合受付", "1階 総合受付", "救急外来 受付" })
            {
                var reader = Add("OQ", 3, AssetCategory.OnlineEligibilityTerminal, "顔認証付きカードリーダー", place, 40, 3);
                (reader.Manufacturer, reader.Model, reader.Firmware, reader.MaintenanceVendor, reader.UserName) = ("例示メディカル", "FR-200", "1.6.3", ReceptionVendor, "医事課");
                reader.SecurityUpdatesBy = SecurityUpdateResponsibility.Vendor;
            }
            foreach (var (name, place) in new[] { ("再来受付機", "1階 エントランス"), ("再来受付機", "1階 エントランス"), ("自動精算機", "1階 会計"), ("自動精算機", "1階 会計") })
            {
                var m = Add("RC", 3, AssetCategory.ReceptionOrPaymentMachine, name, place, 40, 5);
                (m.Manufacturer, m.Model, m.OperatingSystem, m.OsVersion) = ("例示メディカル", name == "自動精算機" ? "RP-PAY3" : "RP-RCP2", "Windows 10 IoT Enterprise", "LTSC 2021");
                (m.MaintenanceVendor, m.SecurityUpdatesBy, m.UserName) = (ReceptionVendor, SecurityUpdateResponsibility.Vendor, "医事課");
            }
        }

        // ---------------------------------------------------------------- プリンタ
        public void Printers()
        {
            string[] places = [.. Wards.Select(w => w + " ナースステーション"), "外来 1階", "外来 2階", "救急外来", "医事課", "医事課",
                "放射線科", "検査科", "薬剤部", "手術室", "栄養科", "医局", "地域医療連携室", "総務課", "健診センター", "情報システム室", "看護部"];
            foreach (var place in places)
            {
                var mfp = place is "医事課" or "総務課" or "医局" or "外来 1階" or "健診センター";
                var p = Add("PR", 3, AssetCategory.Printer, mfp ? "複合機" : place.Contains("薬剤部", StringComparison.Ordinal) ? "ラベルプリンタ" : "レーザープリンタ",
                    place, place == "総務課" ? 100 : 200);
                (p.Manufacturer, p.Model, p.Firmware) = ("ダミー事務機", mfp ? "DX-C5000" : "DX-L300", mfp ? "3.12" : "2.05");
                (p.MaintenanceVendor, p.SecurityUpdatesBy, p.UserName) = (OfficeVendor, SecurityUpdateResponsibility.Vendor, place.Split(' ')[0]);
            }
        }

        // ---------------------------------------------------------------- connections
        public List<Connection> Connections()
        {
            var fiscalYearStart = Findings.FiscalYearStart(today);
            var thisYear = fiscalYearStart.AddDays(Math.Min(40, today.DayNumber - fiscalYearStart.DayNumber));
            Connection C(string vendor, ConnectionPurpose purpose, ConnectionMethod method, Asset appliance) => new()
            {
                OrganizationId = organizationId, VendorName = vendor, Purpose = purpose, Method = method, ApplianceAssetId = appliance.Id,
            };
            var ehr = C(EhrVendor, ConnectionPurpose.Ehr, ConnectionMethod.IpsecVpn, ehrVpn);
            (ehr.SourceRestriction, ehr.AccountType, ehr.SecondFactor) = ("事業者の保守センターの固定IPアドレス（1件）のみ", ConnectionAccountType.Personal, true);
            (ehr.Schedule, ehr.NotificationToSite) = ("障害時と月1回の定期保守", "接続前に情報システム室へ電話。作業後に作業報告書を提出。");
            (ehr.LastConfirmedOn, ehr.ConfirmationNote) = (thisYear, "年次の保守契約更新時に接続方法・アカウント一覧を確認。");

            var pacs = C(PacsVendor, ConnectionPurpose.Pacs, ConnectionMethod.SslVpn, pacsVpn);
            (pacs.SourceRestriction, pacs.AccountType, pacs.SecondFactor) = ("事業者の固定IPアドレスのみ", ConnectionAccountType.Personal, true);
            (pacs.Schedule, pacs.NotificationToSite) = ("障害時のみ", "放射線科と情報システム室へ電話連絡のうえ接続。");
            (pacs.LastConfirmedOn, pacs.ConfirmationNote) = (thisYear.AddDays(-Math.Min(10, thisYear.DayNumber - fiscalYearStart.DayNumber)), "担当者変更の連絡を受けアカウントを確認。");

            var food = C(FoodVendor, ConnectionPurpose.FoodService, ConnectionMethod.SslVpn, foodVpn);
            (food.PurposeDetail, food.SourceRestriction, food.AccountType, food.SecondFactor) = ("献立・食数管理システムの保守", "なし（どこからでも接続できる）", ConnectionAccountType.Shared, false);
            (food.Schedule, food.NotificationToSite) = ("不定期（業者の判断）", "連絡なし");
            (food.LastConfirmedOn, food.ConfirmationNote) = (fiscalYearStart.AddYears(-1).AddDays(-95), "導入時に確認したきり。");

            var monitor = C(MonitorVendor, ConnectionPurpose.VitalMonitor, ConnectionMethod.LteRouter, lteRouter);
            (monitor.AccountType, monitor.SecondFactor, monitor.Schedule) = (ConnectionAccountType.Shared, null, "障害時のみ（業者から）");
            (monitor.SourceRestriction, monitor.NotificationToSite) = ("不明", "病棟へ電話することになっているが記録なし");

            var nurseCall = C(NurseCallVendor, ConnectionPurpose.NurseCall, ConnectionMethod.SslVpn, utm);
            (nurseCall.PurposeDetail, nurseCall.SourceRestriction, nurseCall.AccountType, nurseCall.SecondFactor) =
                ("UTM の SSL-VPN 機能でナースコール制御サーバに接続", "事業者の固定IPアドレスのみ", ConnectionAccountType.Personal, true);
            (nurseCall.Schedule, nurseCall.NotificationToSite, nurseCall.LastConfirmedOn) = ("障害時のみ", "情報システム室へ電話連絡のうえ接続。", thisYear);

            var utmWatch = C(NetworkVendor, ConnectionPurpose.UtmMonitoring, ConnectionMethod.IpsecVpn, utm);
            (utmWatch.SourceRestriction, utmWatch.AccountType, utmWatch.SecondFactor) = ("事業者の監視センターの固定IPアドレスのみ", ConnectionAccountType.Personal, true);
            (utmWatch.Schedule, utmWatch.NotificationToSite, utmWatch.LastConfirmedOn) = ("常時（ログ送信・監視）", "月次報告書で報告。", thisYear);
            return [ehr, pacs, food, monitor, nurseCall, utmWatch];
        }

        // ---------------------------------------------------------------- helpers
        Asset Add(string prefix, int digits, AssetCategory category, string? name, string location, int network, int ageYears = 3)
        {
            var n = numbers[prefix] = numbers.GetValueOrDefault(prefix) + 1;
            var registered = today.AddDays(-(ageYears * 365 + rng.Next(-120, 120)));
            if (registered > today) registered = today.AddDays(-30);
            var roll = rng.Next(100);
            DateOnly? stocktake = roll switch
            {
                < 88 => today.AddDays(-rng.Next(7, 330)),
                < 97 => today.AddDays(-rng.Next(400, 1000)),
                _ => null,
            };
            if (stocktake < registered) stocktake = registered;
            var a = new Asset
            {
                OrganizationId = organizationId,
                ControlNumber = $"{prefix}-{n.ToString(new string('0', digits), CultureInfo.InvariantCulture)}",
                Category = category, Name = name, Location = location,
                IpAddress = Ip(network), MacAddress = Mac(),
                RegisteredOn = registered, LastStocktakeOn = stocktake, Status = AssetStatus.InUse,
                UpdatedAt = today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), UpdatedBy = AssetDemoData.UpdatedBy,
            };
            Assets.Add(a);
            return a;
        }

        /// <summary>
        /// Next address in 10.10.{network}.0/24, from .11 (.1–.10 are gateways). 0 院内基幹, 1 サーバ, 10–16 電子カルテ系 端末
        /// (外来, 病棟・医局, 事務, 放射線, 検査, 薬剤, その他部門), 20 放射線モダリティ, 40 医事・オンライン資格確認, 50 ナースコール,
        /// 60 生体モニタ, 100 インターネット系, 200 ネットワーク機器・プリンタ, 250 保守回線.
        /// </summary>
        string Ip(int network)
        {
            var host = hosts[network] = hosts.GetValueOrDefault(network, 10) + 1;
            if (host > 254) throw new InvalidOperationException($"demo data: 10.10.{network}.0/24 is full");
            return $"10.10.{network}.{host}";
        }

        /// <summary>A locally administered MAC address (02:…), so it never names a real vendor.</summary>
        string Mac() => "02:" + string.Join(":", Enumerable.Range(0, 5).Select(_ => rng.Next(256).ToString("X2", CultureInfo.InvariantCulture)));

        DateTime SeenAt() => today.AddDays(-14).ToDateTime(new TimeOnly(1, 30), DateTimeKind.Utc);

        string Pick(params string[] options) => options[rng.Next(options.Length)];
    }

    static List<CloudService> CloudServices(Guid organizationId, DateOnly today) =>
    [
        new()
        {
            OrganizationId = organizationId, Provider = "サンプルクラウド株式会社", NameAndPurpose = "Web予約システム（外来の予約・変更）",
            DomainOrAddress = "yoyaku.sample-cloud.example",
            AccessLocationAndRoute = "医事課のインターネット用PCからブラウザ（HTTPS）。患者は自宅のスマートフォンから。",
            UsersOrGroups = "医事課 予約担当（5名）", AuthenticationMethod = "ID・パスワード＋ワンタイムパスワード（アプリ）",
            StartedOn = today.AddYears(-3).AddDays(-40), UsageStatus = "利用中",
        },
        new()
        {
            OrganizationId = organizationId, Provider = "デモ文書共有株式会社", NameAndPurpose = "地域連携の文書共有（紹介状・返書の送受信）",
            DomainOrAddress = "renkei.demo-docs.example",
            AccessLocationAndRoute = "地域医療連携室の PC（電子カルテ系とインターネット系の2枚挿し）からブラウザ（HTTPS）。",
            UsersOrGroups = "地域医療連携室（3名）", AuthenticationMethod = "ID・パスワード（共用ID）",
            StartedOn = today.AddYears(-2).AddDays(-100), UsageStatus = "利用中（2枚挿しの解消と合わせて見直し予定）",
        },
        new()
        {
            OrganizationId = organizationId, Provider = "架空オフィスクラウド株式会社", NameAndPurpose = "職員向けメール・スケジュール共有",
            DomainOrAddress = "mail.kakuu-office.example",
            AccessLocationAndRoute = "総務課・情報システム室のインターネット用PC、職員の業務用スマートフォン。",
            UsersOrGroups = "管理部門・看護部の職員（約40名）", AuthenticationMethod = "ID・パスワード＋スマートフォンのプッシュ通知による確認",
            StartedOn = today.AddYears(-4).AddDays(-10), UsageStatus = "利用中（患者情報の送信は禁止と院内規程で定めている）",
        },
    ];
}
