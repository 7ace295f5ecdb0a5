using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace SocketCluster.Benchmarks;

/// <summary>The side-by-side table (C# vs Node, ratios), its JSON and a chart of server CPU per operation.</summary>
public sealed record BenchReport(DateTime Utc, string Machine, bool Smoke, IReadOnlyList<Measurement> Results)
{
    public const string JsonName = "benchmark.json";
    public const string ChartName = "benchmark.png";
    public const string TableName = "benchmark.md";
    private const string CSharp = "C# sample";
    private const string Node = "Node 20.0.1";

    private static string F(double v, string format = "F1") =>
        double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    private Measurement? Find(string server, string scenario) => Results.FirstOrDefault(r => r.Server == server && r.Scenario == scenario);

    /// <summary>Markdown: one row per scenario; CPU ratio is Node / C# (above 3 meets the one-third target).</summary>
    public string Table()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{Utc:yyyy-MM-dd HH:mm} UTC · {Machine}{(Smoke ? " · SMOKE (sizes too small to compare)" : "")}");
        sb.AppendLine();
        sb.AppendLine("| Scenario (operation) | C# ops/s | Node ops/s | C# / Node | C# server µs CPU/op | Node server µs CPU/op | Node / C# CPU |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var scenario in Results.Where(r => r.Scenario != "client").Select(r => r.Scenario).Distinct())
        {
            var c = Find(CSharp, scenario);
            var n = Find(Node, scenario);
            if (c is null && n is null) continue; // an attached server: its lines were printed as they ran
            var unit = (c ?? n)!.Unit;
            if (scenario == "idle")
            {
                var cb = c?.BytesPerConnection ?? double.NaN;
                var nb = n?.BytesPerConnection ?? double.NaN;
                sb.AppendLine($"| idle: memory per connection ({(c ?? n)!.Operations} held; answering pings: C# {c?.ConnectionsAnsweringPings}, Node {n?.ConnectionsAnsweringPings}) "
                    + $"| {F(cb / 1024)} KB | {F(nb / 1024)} KB | {F(cb / nb, "F2")}× | | | |");
                continue;
            }
            var latency = scenario == "latency"
                ? $" p50/p99/p99.9 ms: C# {F(c?.P50Ms ?? double.NaN, "F2")}/{F(c?.P99Ms ?? double.NaN, "F2")}/{F(c?.P999Ms ?? double.NaN, "F2")}, Node {F(n?.P50Ms ?? double.NaN, "F2")}/{F(n?.P99Ms ?? double.NaN, "F2")}/{F(n?.P999Ms ?? double.NaN, "F2")}"
                : "";
            double cOps = c?.OpsPerSecond ?? double.NaN, nOps = n?.OpsPerSecond ?? double.NaN;
            double cCpu = c?.ServerCpuMicrosPerOp ?? double.NaN, nCpu = n?.ServerCpuMicrosPerOp ?? double.NaN;
            sb.AppendLine($"| {scenario}: {unit}{latency} | {F(cOps, "F0")} | {F(nOps, "F0")} | {F(cOps / nOps, "F2")}× | {F(cCpu, "F2")} | {F(nCpu, "F2")} | {F(nCpu / cCpu, "F2")}× |");
        }
        var clients = Results.Where(r => r.Scenario == "client").ToList();
        if (clients.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| Client (customProc invokes, 16 in flight, C# sample server) | invokes/s | client µs CPU/invoke |");
            sb.AppendLine("|---|---:|---:|");
            foreach (var m in clients) sb.AppendLine($"| {m.Server} | {F(m.OpsPerSecond, "F0")} | {F(m.LoadCpuMicrosPerOp, "F2")} |");
        }
        return sb.ToString();
    }

    public void Write(string directory)
    {
        var json = JsonSerializer.Serialize(new
        {
            utc = Utc, machine = Machine, smoke = Smoke,
            results = Results.Select(r => new
            {
                r.Scenario, r.Server, r.Unit, r.Operations, r.Seconds, r.ServerCpuSeconds, r.LoadCpuSeconds, r.OpsPerSecond,
                ServerCpuMicrosPerOp = Finite(r.ServerCpuMicrosPerOp), LoadCpuMicrosPerOp = Finite(r.LoadCpuMicrosPerOp),
                r.BytesPerConnection, r.ConnectionsAnsweringPings, r.P50Ms, r.P99Ms, r.P999Ms,
            }),
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        File.WriteAllText(Path.Combine(directory, JsonName), json + "\n");
        File.WriteAllText(Path.Combine(directory, TableName), Table());
        Chart(Path.Combine(directory, ChartName));
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>Grouped bars: server CPU µs per operation for each scenario, C# beside Node (lower is better).</summary>
    private void Chart(string path)
    {
        var scenarios = Results.Where(r => r.Scenario is not ("idle" or "client")).Select(r => r.Scenario).Distinct().ToArray();
        var plot = new ScottPlot.Plot();
        var bars = new List<ScottPlot.Bar>();
        var ticks = new List<ScottPlot.Tick>();
        for (var i = 0; i < scenarios.Length; i++)
        {
            var c = Find(CSharp, scenarios[i])?.ServerCpuMicrosPerOp ?? 0;
            var n = Find(Node, scenarios[i])?.ServerCpuMicrosPerOp ?? 0;
            bars.Add(new ScottPlot.Bar { Position = i * 3, Value = double.IsFinite(c) ? c : 0, FillColor = ScottPlot.Colors.SteelBlue });
            bars.Add(new ScottPlot.Bar { Position = i * 3 + 1, Value = double.IsFinite(n) ? n : 0, FillColor = ScottPlot.Colors.DarkOrange });
            ticks.Add(new ScottPlot.Tick(i * 3 + 0.5, scenarios[i]));
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Server CPU per operation (µs, lower is better) · {Utc:yyyy-MM-dd}");
        plot.YLabel("µs CPU / operation");
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "C# sample", FillColor = ScottPlot.Colors.SteelBlue });
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "Node 20.0.1", FillColor = ScottPlot.Colors.DarkOrange });
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 450);
    }
}

public static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), "
            + $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, node {NodeVersion()}, load average {load} at start";
    }

    private static string NodeVersion()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null) return "?";
            var v = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            return v;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }
}
