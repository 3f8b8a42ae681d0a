using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Mamori.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (python3-aiosmtpd, installed by `./mamori test`) on a local port; every message it accepts is
/// kept as a file, which <see cref="Messages"/> reads back. It can be stopped and started again on the same port
/// (the server being down), and can require a user name and password.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    public int Port { get; } = FreePort();
    readonly string folder = Directory.CreateTempSubdirectory("mamori-smtp-").FullName;
    readonly (string User, string Password)? credentials;
    Process? process;

    public SmtpSink((string User, string Password)? credentials = null) => this.credentials = credentials;

    public SmtpSink Start()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "smtp_sink.py");
        // Debian's python (where apt installs python3-aiosmtpd), not another python3 that may come first on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var info = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, Port.ToString(), folder }) info.ArgumentList.Add(a);
        if (credentials is { } c) { info.ArgumentList.Add(c.User); info.ArgumentList.Add(c.Password); }
        process = Process.Start(info)!;
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); }; // drained, so the server never blocks on a full pipe
        process.BeginErrorReadLine();
        if (process.StandardOutput.ReadLine() != "ready")
        {
            process.WaitForExit(5_000);
            lock (errors) throw new InvalidOperationException("SMTP test server did not start (apt-get install python3-aiosmtpd): " + errors);
        }
        return this;
    }

    public void Stop()
    {
        if (process is null) return;
        process.StandardInput.Close();
        if (!process.WaitForExit(10_000)) process.Kill();
        process.Dispose();
        process = null;
    }

    /// <summary>Every message received so far, oldest first.</summary>
    public List<MimeMessage> Messages() => Directory.GetFiles(folder, "*.eml").Order().Select(f => MimeMessage.Load(f)).ToList();

    /// <summary>Messages to one address.</summary>
    public List<MimeMessage> To(string address) =>
        Messages().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(folder, true);
    }
}
