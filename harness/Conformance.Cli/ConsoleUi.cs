using System.Diagnostics;
using System.Globalization;
using Conformance.Reports;
using Spectre.Console;

namespace Conformance.Cli;

/// <summary>One unit of work: a scenario at a protocol version, and how to run it.</summary>
public sealed record WorkItem(PlannedScenario Scenario, int ProtocolVersion, Func<CancellationToken, Task<ScenarioRecord>> Run);

/// <summary>
/// Live progress on a terminal (count, current feature, elapsed time); when redirected (a CI log) one short progress
/// line every <see cref="ProgressInterval"/>, and with <see cref="Verbose"/> a line per scenario; the summary.
/// </summary>
public sealed class ConsoleUi(IAnsiConsole console, bool live)
{
    public bool Live => live;

    /// <summary>Plain output also gets one line per scenario (--verbose).</summary>
    public bool Verbose { get; init; }

    /// <summary>How often plain output prints a progress line ("every few seconds", issue 10 §7).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A scenario running longer than this is named in the progress line (a slow or stuck check shows up in the log).</summary>
    public static readonly TimeSpan SlowScenario = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Runs the work with up to <paramref name="parallel"/> scenarios at a time (each scenario has its own connections,
    /// clients and known-good server lease, as under dotnet test). Records come back in completion order; the reports
    /// sort them.
    /// </summary>
    public async Task<List<ScenarioRecord>> RunAsync(IReadOnlyList<WorkItem> work, CancellationToken cancellationToken, int parallel = 1)
    {
        var clock = Stopwatch.StartNew();
        if (!live) return await RunPlainAsync(work, parallel, clock, cancellationToken);

        List<ScenarioRecord> results = [];
        await console.Progress()
            .AutoClear(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: Math.Max(1, work.Count));
                results = await RunEachAsync(work, parallel, cancellationToken,
                    onStart: (item, done) => task.Description = Markup.Escape($"{done + 1}/{work.Count} · {Shorten(item.Scenario.Feature, 40)} · v{item.ProtocolVersion}"),
                    onDone: (record, _) =>
                    {
                        task.Increment(1);
                        if (record.Outcome == Outcome.Failed)
                            console.MarkupLine($"[red]✗[/] {Markup.Escape(Describe(record))}");
                    });
                task.Description = Markup.Escape($"{work.Count}/{work.Count} done");
            });
        return results;
    }

    /// <summary>
    /// Plain output: a progress line every <see cref="ProgressInterval"/> and one at the end, written unwrapped to the
    /// console's writer (a CI log keeps long lines whole); with <see cref="Verbose"/> also a line per finished scenario.
    /// </summary>
    private async Task<List<ScenarioRecord>> RunPlainAsync(IReadOnlyList<WorkItem> work, int parallel, Stopwatch clock, CancellationToken cancellationToken)
    {
        var output = console.Profile.Out.Writer;
        var gate = new Lock();
        var done = 0;
        var failed = 0;
        var running = new Dictionary<WorkItem, TimeSpan>();
        void Progress()
        {
            lock (gate)
            {
                var oldest = running.Count == 0 ? default : running.MinBy(p => p.Value);
                var slow = oldest.Key is { } item && clock.Elapsed - oldest.Value >= SlowScenario ? (item.Scenario.Key, item.ProtocolVersion, clock.Elapsed - oldest.Value) : default;
                output.WriteLine(ProgressLine(done, work.Count, failed, clock.Elapsed, slow.Key is null ? null : slow));
                output.Flush();
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ticker = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(ProgressInterval);
            try { while (await timer.WaitForNextTickAsync(stop.Token)) Progress(); }
            catch (OperationCanceledException) { /* the run ended */ }
        }, CancellationToken.None);
        try
        {
            return await RunEachAsync(work, parallel, cancellationToken,
                onStart: (item, _) => { lock (gate) running[item] = clock.Elapsed; },
                onDone: (record, count) =>
                {
                    lock (gate)
                    {
                        if (running.Keys.FirstOrDefault(i => i.Scenario.Key == record.Key && i.ProtocolVersion == record.ProtocolVersion) is { } finished)
                            running.Remove(finished);
                        done = count;
                        if (record.Outcome == Outcome.Failed) failed++;
                        if (Verbose) output.WriteLine(PlainLine(count, work.Count, record, clock.Elapsed));
                    }
                });
        }
        finally
        {
            await stop.CancelAsync();
            await ticker;
            Progress();
        }
    }

    /// <summary>"[progress] 37/162 done, 1 failed, 0:25 elapsed" (+ "; running for 45 s: KEY v2" for a slow scenario).</summary>
    public static string ProgressLine(int done, int total, int failed, TimeSpan elapsed, (string Key, int Version, TimeSpan For)? slow = null) =>
        $"[progress] {done}/{total} done, {failed} failed, {Elapsed(elapsed)} elapsed"
        + (slow is { } s ? $"; running for {s.For.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s: {s.Key} v{s.Version}" : "");

    /// <summary>The parallel loop of both displays; the callbacks run under one lock with the count of finished items.</summary>
    private static async Task<List<ScenarioRecord>> RunEachAsync(IReadOnlyList<WorkItem> work, int parallel, CancellationToken cancellationToken,
        Action<WorkItem, int>? onStart, Action<ScenarioRecord, int> onDone)
    {
        var results = new List<ScenarioRecord>(work.Count);
        var gate = new Lock();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work, options, async (item, ct) =>
        {
            if (onStart is not null) lock (gate) onStart(item, results.Count);
            var record = await item.Run(ct);
            lock (gate)
            {
                results.Add(record);
                onDone(record, results.Count);
            }
        });
        return results;
    }

    public static string PlainLine(int index, int total, ScenarioRecord record, TimeSpan elapsed)
    {
        var width = total.ToString(CultureInfo.InvariantCulture).Length;
        var status = record.Outcome switch
        {
            Outcome.Passed => "passed ",
            Outcome.Failed => "FAILED ",
            Outcome.Skipped => "skipped",
            _ => "not run",
        };
        var line = $"[{index.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{total}] {status} {Describe(record)} ({record.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s, elapsed {Elapsed(elapsed)})";
        if (record.Outcome == Outcome.Skipped && record.SkipReason is { } reason) line += $" — {TranscriptText.FirstLine(reason)}";
        if (record.Outcome == Outcome.Failed && record.Error is { } error) line += $" — {TranscriptText.FirstLine(error)}";
        return line;
    }

    private static string Describe(ScenarioRecord record)
    {
        var ids = record.RequirementIds.Count > 0 ? string.Join(",", record.RequirementIds) + " " : "";
        return $"{ids}{record.Key} v{record.ProtocolVersion} {record.Name}";
    }

    private static string Elapsed(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>
    /// The end-of-run summary: requirements passed by protocol area for each subject (the server and each client driver,
    /// never merged), levels, what went untested and why (once per reason), expectations, and the verdict line.
    /// </summary>
    public void Summary(RunReport report, IReadOnlyList<string> reportPaths)
    {
        var result = report.Result;
        console.WriteLine();
        var subjects = result.AreaSummaries.Select(a => a.Subject).Distinct().ToList();
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Requirements passed [[scenarios not passed]]");
        foreach (var subject in subjects) table.AddColumn(new TableColumn(Markup.Escape(subject)).RightAligned());
        foreach (var area in result.AreaSummaries.Select(a => a.Area).Distinct().OrderBy(Areas.Order).ThenBy(a => a, StringComparer.Ordinal))
        {
            var cells = new List<string> { Markup.Escape($"{area} {Areas.Name(area)}") };
            cells.AddRange(subjects.Select(subject => result.AreaSummaries.FirstOrDefault(a => a.Subject == subject && a.Area == area) is { } row
                ? Cell(row.RequirementsPassed, row.RequirementsTotal, row.Counts) : "[grey]-[/]"));
            table.AddRow(cells.ToArray());
        }
        var total = new List<string> { "[bold]Requirements[/]" };
        var scenarios = new List<string> { "[bold]Scenarios[/]" };
        foreach (var subject in subjects)
        {
            var rows = result.AreaSummaries.Where(a => a.Subject == subject).ToList();
            var counts = VerdictText.All.ToDictionary(v => v, v => rows.Sum(r => r.Counts.GetValueOrDefault(v)));
            total.Add(Cell(rows.Sum(r => r.RequirementsPassed), rows.Sum(r => r.RequirementsTotal), new Dictionary<Verdict, int>()));
            scenarios.Add(Cell(counts[Verdict.Pass], counts.Values.Sum(), counts));
        }
        table.AddRow(total.ToArray());
        table.AddRow(scenarios.ToArray());
        console.Write(table);

        foreach (var level in result.Levels)
        {
            var who = level.Subject == "server" ? "Server under test" : $"{level.Subject} client";
            console.MarkupLine($"Verified level, {Markup.Escape(who)}: [bold]{Markup.Escape(level.Label)}[/]"
                + $" — MUST {level.MustPassed} passed, {level.MustFailed} failed, {level.MustUntested} untested"
                + (level.OutOfScope.Count > 0 ? $", {level.OutOfScope.Count} out of scope" : "")
                + (level.ShouldWarnings.Count > 0 ? $"; [yellow]{level.ShouldWarnings.Count} SHOULD warning(s): {Markup.Escape(string.Join(", ", level.ShouldWarnings))}[/]" : "")
                + (level.Limit is { } limit ? $" [grey](not higher: {Markup.Escape(limit)})[/]" : ""));
        }
        var untestedColor = result.Options.AllowUntested ? "grey" : "yellow";
        foreach (var line in result.UntestedLines())
            console.MarkupLine($"[{untestedColor}]Untested:[/] {Markup.Escape(line)}");
        foreach (var line in result.RequiredLevelLines())
            console.MarkupLine($"[red]Below --require-level:[/] {Markup.Escape(line)}");
        if (result.OutOfScopeCount > 0)
            console.MarkupLine($"[grey]Out of scope: {result.OutOfScopeCount} applicable MUST(s) checked by no selected scenario (--tags, --level, --protocol, --endpoint): not judged, not verified[/]");

        var expected = result.Scenarios.Count(s => s.ExpectedFailure is not null);
        if (expected > 0) console.MarkupLine($"[yellow]{expected} expected failure(s)[/] (from {Markup.Escape(result.Options.Expectations.SourcePath ?? "expectations")}) not counted against the run");
        foreach (var (key, reason) in result.UnexpectedPasses)
            console.MarkupLine($"[blue]Unexpected pass:[/] {Markup.Escape(key)} ({Markup.Escape(reason)}) — remove it from the expectations file");
        if (result.UnusedExpectations.Count > 0)
            console.MarkupLine($"[yellow]Expectations that matched nothing[/] (no executed scenario): {Markup.Escape(string.Join(", ", result.UnusedExpectations))}");
        foreach (var failing in result.Scenarios.Where(s => s.FailsRun))
            console.MarkupLine($"[red]{VerdictText.Of(failing.Verdict)}[/] {Markup.Escape(string.Join(",", failing.Scenario.RequirementIds))} {Markup.Escape(failing.Scenario.Id)} {Markup.Escape(failing.Scenario.Name)}: {Markup.Escape(TranscriptText.FirstLine(failing.Scenario.Error))}");
        foreach (var path in reportPaths) console.MarkupLine($"Report: {Markup.Escape(path)}");

        var color = result.RunVerdict switch { RunVerdict.Passed => "green", RunVerdict.Incomplete => "yellow", _ => "red" };
        console.MarkupLine($"[{color} bold]{result.VerdictLabel}[/] (exit code {result.ExitCode}) — {Markup.Escape(result.Reason)}; {result.Scenarios.Count} scenario(s) in {report.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
    }

    /// <summary>"7/7", or "5/7 [2 FAIL, 1 SKIPPED]": requirements passed, then the scenarios that did not pass.</summary>
    private static string Cell(int passed, int total, IReadOnlyDictionary<Verdict, int> counts)
    {
        var notPassed = VerdictText.All.Where(v => v != Verdict.Pass && counts.GetValueOrDefault(v) > 0)
            .Select(v => Count(v, counts[v]) + " " + Short(v)).ToList();
        var color = passed == total ? "green" : "default";
        return $"[{color}]{passed}/{total}[/]" + (notPassed.Count > 0 ? $" [[{string.Join(", ", notPassed)}]]" : "");
    }

    private static string Short(Verdict verdict) => verdict switch
    {
        Verdict.Informational => "INFO",
        Verdict.Unimplemented => "UNIMPL",
        _ => VerdictText.Of(verdict),
    };

    private static string Count(Verdict verdict, int count)
    {
        if (count == 0) return "[grey]0[/]";
        var color = verdict switch
        {
            Verdict.Pass => "green",
            Verdict.Fail => "red",
            Verdict.NonStrict => "yellow",
            Verdict.Informational => "blue",
            _ => "grey",
        };
        return $"[{color}]{count}[/]";
    }
}
