using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Mamori.Tests.Infrastructure;

/// <summary>The real Mamori binary (built by the same solution build) run as a separate process, as ./mamori runs it.</summary>
public sealed class MamoriProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly Lock gate = new();

    public static string Dll => Path.Combine(TestCluster.RepoRoot, "src/Mamori/bin/Release/net10.0/Mamori.dll");

    MamoriProcess(Process p) => process = p;

    public string Output { get { lock (gate) return output.ToString(); } }
    public int Pid => process.Id;

    public static MamoriProcess Start(IDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Short-lived runs: profile-guided re-JIT costs more CPU than it saves (measured ~10% of a CLI call's CPU time).
        psi.Environment["DOTNET_TieredPGO"] = "0";
        psi.Environment.Remove("MAMORI_DB");
        psi.Environment.Remove("MAMORI_DATA");
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var mp = new MamoriProcess(new Process { StartInfo = psi });
        mp.process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (mp.gate) mp.output.AppendLine(e.Data); };
        mp.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (mp.gate) mp.output.AppendLine(e.Data); };
        mp.process.Start();
        mp.process.BeginOutputReadLine();
        mp.process.BeginErrorReadLine();
        return mp;
    }

    /// <summary>Runs a command to completion: (exit code, stdout+stderr).</summary>
    public static async Task<(int Code, string Output)> RunAsync(IDictionary<string, string?> env, params string[] args)
    {
        await using var p = Start(env, args);
        var exited = await p.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(exited, "command did not finish: " + string.Join(' ', args));
        return (p.process.ExitCode, p.Output);
    }

    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Output.Contains(text)) return true;
            if (process.HasExited) return Output.Contains(text);
            await Task.Delay(100);
        }
        return false;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    public int ExitCode => process.ExitCode;

    /// <summary>SIGTERM, as Ctrl+C or a service manager would stop it.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();

    /// <summary>SIGKILL: a crash.</summary>
    public void Kill() => process.Kill(entireProcessTree: false);

    public static int FreePort()
    {
        var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) { process.Kill(); await process.WaitForExitAsync(); }
        process.Dispose();
    }
}
