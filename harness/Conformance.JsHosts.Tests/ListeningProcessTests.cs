namespace Conformance.JsHosts.Tests;

/// <summary>The one start-up of LISTENING servers: port, deadline, a child that exits early, and a chatty child.</summary>
public sealed class ListeningProcessTests
{
    static Task<ListeningProcess> StartShAsync(string script, TimeSpan startTimeout) =>
        ListeningProcess.StartAsync("/bin/sh", ["-c", script], Path.GetTempPath(), startTimeout, cancellation: TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_port_comes_from_the_LISTENING_line_after_any_earlier_output()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        await using var child = await StartShAsync("echo starting; echo LISTENING 4321; cat", TimeSpan.FromSeconds(20));
        Assert.Equal(4321, child.Port);
    }

    [Fact]
    public async Task A_child_that_writes_megabytes_after_LISTENING_never_blocks_on_its_stdout()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        // 4 MB is far over a pipe's buffer (64 KiB on Linux): unless stdout is drained, the child blocks in its write and
        // never reaches the stderr line (the benchmark's ServerProcess once never drained it).
        await using var child = await StartShAsync("echo LISTENING 1; head -c 4000000 /dev/zero | tr '\\0' x; echo; echo written >&2; cat",
            TimeSpan.FromSeconds(20));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!child.Stderr.Contains("written", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Contains("written", child.Stderr);
    }

    [Fact]
    public async Task A_child_that_exits_before_LISTENING_fails_with_its_output()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => StartShAsync("echo no port here; echo broken >&2; exit 3", TimeSpan.FromSeconds(20)));
        Assert.Contains("no port here", e.Message);
    }

    [Fact]
    public async Task A_child_that_never_prints_LISTENING_fails_after_the_start_timeout_and_is_killed()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "uses /bin/sh");
        var e = await Assert.ThrowsAsync<TimeoutException>(() => StartShAsync("echo waiting; exec sleep 60", TimeSpan.FromMilliseconds(500)));
        Assert.Contains("within 0.5 s", e.Message);
    }
}
