#!/usr/bin/env python3
"""Synthetic feeds and ledger for bench/vulns.sh — standard library only. Every CVE id (CVE-2099-…), vendor and
version here is made up for load; nothing in these files is a fact about a real vulnerability.

    python3 bench/gen-vulns.py OUT_DIR [DEVICES] [KEV] [NVD]

  OUT_DIR/kev.json     KEV schema, KEV (1,400) entries; 10 % name appliances of appliances.yaml, the rest fictional products
  OUT_DIR/nvd.json     NVD CVE JSON 2.0, NVD (10,000) records with 1–3 cpeMatch ranges; 10 % on the dictionary's CPE names
  OUT_DIR/ledger.csv   DEVICES (100,000) rows: 5 % appliances of the dictionary with firmware versions, the rest PCs
"""
import csv, json, os, random, sys

out = sys.argv[1]
devices = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
kev_n = int(sys.argv[3]) if len(sys.argv) > 3 else 1_400
nvd_n = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
os.makedirs(out, exist_ok=True)
rng = random.Random(2099)

# (cpe, KEV vendorProject, KEV product, ledger maker, ledger model, version generator)
def dotted3(a, b): return lambda: f"{rng.randint(a, b)}.{rng.randint(0, 4)}.{rng.randint(0, 20)}"
APPLIANCES = [
    ("fortinet:fortios", "Fortinet", "FortiOS", "Fortinet", "FortiGate-60F", lambda: f"v{rng.randint(5, 7)}.{rng.choice([0, 2, 4, 6])}.{rng.randint(0, 16)} build{rng.randint(100, 2000):04d}"),
    ("cisco:adaptive_security_appliance_software", "Cisco", "Adaptive Security Appliance (ASA)", "Cisco", "ASA5506-X", lambda: f"9.{rng.randint(8, 20)}({rng.randint(1, 4)}){rng.randint(1, 40)}"),
    ("paloaltonetworks:pan-os", "Palo Alto Networks", "PAN-OS", "Palo Alto Networks", "PA-220", lambda: f"{rng.randint(9, 11)}.{rng.randint(0, 2)}.{rng.randint(0, 12)}" + (f"-h{rng.randint(1, 9)}" if rng.random() < .5 else "")),
    ("juniper:junos", "Juniper", "Junos OS", "Juniper", "SRX300", lambda: f"{rng.randint(19, 23)}.{rng.randint(1, 4)}R{rng.randint(1, 3)}" + (f"-S{rng.randint(1, 9)}" if rng.random() < .5 else "")),
    ("sonicwall:sonicos", "SonicWall", "SonicOS", "SonicWall", "TZ370", lambda: f"{rng.randint(6, 7)}.{rng.randint(0, 5)}.{rng.randint(0, 9)}-{rng.randint(1000, 5999)}"),
    ("yamaha:rtx_firmware", "YAMAHA", "RTX", "YAMAHA", "RTX1210", lambda: f"Rev.{rng.randint(10, 15)}.{rng.randint(0, 3):02d}.{rng.randint(0, 50):02d}"),
]

def bound(cpe):
    if cpe == "cisco:adaptive_security_appliance_software": return f"9.{rng.randint(8, 20)}.{rng.randint(1, 4)}.{rng.randint(1, 40)}"
    if cpe == "paloaltonetworks:pan-os": return f"{rng.randint(9, 11)}.{rng.randint(0, 2)}.{rng.randint(0, 12)}"
    if cpe == "juniper:junos": return f"{rng.randint(19, 23)}.{rng.randint(1, 4)}R{rng.randint(1, 3)}"
    if cpe == "sonicwall:sonicos": return f"{rng.randint(6, 7)}.{rng.randint(0, 5)}.{rng.randint(0, 9)}-{rng.randint(1000, 5999)}"
    return dotted3(1, 15)()

def cve(i): return f"CVE-2099-{i:05d}"

nvd = []
for i in range(nvd_n):
    cpe = rng.choice(APPLIANCES)[0] if rng.random() < .1 else f"examplevendor{rng.randint(1, 400)}:exampleproduct{rng.randint(1, 20)}"
    matches = []
    for _ in range(rng.randint(1, 3)):
        lo, hi = sorted([bound(cpe), bound(cpe)])
        m = {"vulnerable": True, "criteria": f"cpe:2.3:o:{cpe}:*:*:*:*:*:*:*:*", "versionStartIncluding": lo}
        m["versionEndExcluding" if rng.random() < .5 else "versionEndIncluding"] = hi
        matches.append(m)
    nvd.append({"cve": {"id": cve(i), "lastModified": "2099-01-01T00:00:00.000", "descriptions": [{"lang": "en", "value": "synthetic bench record"}],
                        "configurations": [{"nodes": [{"operator": "OR", "negate": False, "cpeMatch": matches}]}]}})
json.dump({"format": "NVD_CVE", "version": "2.0", "timestamp": "2099-01-01T00:00:00.000", "totalResults": nvd_n, "vulnerabilities": nvd},
          open(f"{out}/nvd.json", "w"))

kev = []
for i in range(kev_n):
    # 70 % of KEV entries have an NVD record (ids below nvd_n); the rest only KEV (product-only when they name an appliance).
    n = rng.randrange(nvd_n) if rng.random() < .7 else nvd_n + i
    if rng.random() < .1:
        a = rng.choice(APPLIANCES); vendor, product = a[1], a[2]
    else:
        vendor, product = f"Example Vendor {rng.randint(1, 400)}", f"Example Product {rng.randint(1, 20)}"
    kev.append({"cveID": cve(n), "vendorProject": vendor, "product": product, "vulnerabilityName": "synthetic bench entry",
                "dateAdded": "2099-01-01", "shortDescription": "synthetic", "requiredAction": "Apply updates per vendor instructions.",
                "dueDate": "2099-01-22", "knownRansomwareCampaignUse": "Unknown"})
json.dump({"title": "synthetic bench KEV", "catalogVersion": "2099.01.01", "dateReleased": "2099-01-01T00:00:00.000Z", "count": kev_n,
           "vulnerabilities": kev}, open(f"{out}/kev.json", "w"))

with open(f"{out}/ledger.csv", "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f)
    w.writerow(["管理番号", "種別", "機器名", "メーカー", "型番", "OS", "ファームウェア"])
    for i in range(devices):
        if i % 20 == 0:
            a = APPLIANCES[(i // 20) % len(APPLIANCES)]
            w.writerow([f"BV-{i:06d}", "VPN装置", f"保守用VPN {i}", a[3], a[4], "", a[5]() if rng.random() < .9 else ""])
        else:
            w.writerow([f"BV-{i:06d}", "端末PC", f"端末 {i}", "例示電機", "PC-100", "Windows 11 Pro", ""])
