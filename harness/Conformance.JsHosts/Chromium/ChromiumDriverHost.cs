using System.Text.Json;
using Microsoft.Playwright;

namespace Conformance.JsHosts.Chromium;

/// <summary>
/// The official client bundle in a Chromium page: js-client-fixtures/browser/driver.html (which puts driver-core's
/// driver on <c>window.scDriver</c>) served by a local Kestrel. One page (with its own browser context, so its own
/// localStorage) per host; the browser is shared by the process (<see cref="ChromiumBrowser"/>).
/// </summary>
public sealed class ChromiumDriverHost : IResettableJsDriverHost
{
    // Results travel as JSON text so that they arrive exactly as JSON.stringify wrote them.
    const string CallScript = """
        async ([cmd, argsJson]) => {
          const driver = window.scDriver;
          if (!driver || !Object.prototype.hasOwnProperty.call(driver, cmd) || typeof driver[cmd] !== 'function') {
            throw new Error(`unknown driver command ${JSON.stringify(cmd)}`);
          }
          const result = await driver[cmd](...JSON.parse(argsJson));
          return JSON.stringify(result === undefined ? null : result);
        }
        """;

    const string ResetScript = """
        async () => {
          const result = await window.scDriver.destroyAll();
          localStorage.clear();
          sessionStorage.clear();
          return JSON.stringify(result);
        }
        """;

    readonly DriverPage _driverPage;
    readonly IPage _page;
    int _disposed;

    ChromiumDriverHost(DriverPage driverPage)
    {
        _driverPage = driverPage;
        _page = driverPage.Page;
    }

    public string Name => "chromium";

    /// <summary>The last console lines and page errors, for diagnostics.</summary>
    public string ConsoleTail => _driverPage.ConsoleTail;

    /// <summary>
    /// Keep one driver page loaded ahead of time for the next host (default on). The benchmark turns it off to
    /// measure a page start.
    /// </summary>
    public static bool KeepSparePage
    {
        get => SpareDriverPage.Enabled;
        set => SpareDriverPage.Enabled = value;
    }

    /// <param name="consoleSink">Receives every console line and page error (e.g. a test output helper).</param>
    public static async Task<ChromiumDriverHost> StartAsync(Action<string>? consoleSink = null, CancellationToken ct = default)
    {
        FixturePaths.Require(FixturePaths.DriverPage);
        FixturePaths.Require(FixturePaths.DriverCore);
        FixturePaths.Require(FixturePaths.ClientBundle);
        var page = await SpareDriverPage.TakeAsync(ct);
        page.Sink = consoleSink;
        return new ChromiumDriverHost(page);
    }

    public async Task<JsonElement> CallAsync(string command, IReadOnlyList<JsonElement> args, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        string json;
        try
        {
            json = await _page.EvaluateAsync<string>(CallScript, new object[] { command, DriverRequest.SerializeArgs(args) })
                .WaitAsync(ct);
        }
        catch (PlaywrightException e)
        {
            throw new JsDriverHostException($"Chromium failed to run '{command}': {e.Message}. Console: {_driverPage.ConsoleTail}", e);
        }
        return DriverRequest.ParseResult(json, Name);
    }

    public async Task ResetAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        string json;
        try
        {
            json = await _page.EvaluateAsync<string>(ResetScript).WaitAsync(ct);
        }
        catch (PlaywrightException e)
        {
            throw new JsDriverHostException($"Chromium failed to reset: {e.Message}. Console: {_driverPage.ConsoleTail}", e);
        }
        DriverResults.EnsureOk(DriverRequest.ParseResult(json, Name), Name, "destroyAll");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            // Close the client sockets the way the page's script would (1000) before the page goes away.
            await _page.EvaluateAsync("() => window.scDriver && window.scDriver.destroyAll()").WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
        }
        await _driverPage.CloseAsync();
    }
}
