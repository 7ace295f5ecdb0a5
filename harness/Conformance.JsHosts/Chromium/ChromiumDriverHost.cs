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

    // driver.html sets scDriverReady once the driver exists, or scDriverError when an import failed.
    const string ReadyScript = "() => window.scDriverReady === true || typeof window.scDriverError === 'string'";

    readonly IPage _page;
    readonly StderrTail _console;
    int _disposed;

    ChromiumDriverHost(IPage page, StderrTail console)
    {
        _page = page;
        _console = console;
    }

    public string Name => "chromium";

    /// <summary>The last console lines and page errors, for diagnostics.</summary>
    public string ConsoleTail => _console.Text;

    /// <param name="consoleSink">Receives every console line and page error (e.g. a test output helper).</param>
    public static async Task<ChromiumDriverHost> StartAsync(Action<string>? consoleSink = null, CancellationToken ct = default)
    {
        FixturePaths.Require(FixturePaths.DriverPage);
        FixturePaths.Require(FixturePaths.DriverCore);
        FixturePaths.Require(FixturePaths.ClientBundle);
        var shared = await ChromiumBrowser.GetAsync().WaitAsync(ct);
        var console = new StderrTail(200);
        void Log(string line)
        {
            console.Add(line);
            consoleSink?.Invoke(line);
        }
        var page = await shared.Browser.NewPageAsync().WaitAsync(ct);
        page.Console += (_, message) => Log($"[{message.Type}] {message.Text}");
        page.PageError += (_, error) => Log($"[pageerror] {error}");
        page.Crash += (_, _) => Log("[crash] the page crashed");
        try
        {
            var response = await page.GotoAsync(shared.Server.DriverPageUri.ToString()).WaitAsync(ct);
            if (response is null || !response.Ok)
            {
                throw new JsDriverHostException(
                    $"Loading {shared.Server.DriverPageUri} answered {response?.Status.ToString() ?? "nothing"}.");
            }
            try
            {
                await page.WaitForFunctionAsync(ReadyScript, null, new PageWaitForFunctionOptions { Timeout = 30_000 }).WaitAsync(ct);
            }
            catch (TimeoutException e)
            {
                throw new JsDriverHostException(
                    $"driver.html did not define window.scDriver within 30 s. Console: {console.Text}", e);
            }
            string? loadError = await page.EvaluateAsync<string?>("() => window.scDriverError ?? null").WaitAsync(ct);
            if (loadError is not null)
            {
                throw new JsDriverHostException($"driver.html failed to load the driver: {loadError}. Console: {console.Text}");
            }
        }
        catch
        {
            await page.CloseAsync();
            throw;
        }
        return new ChromiumDriverHost(page, console);
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
            throw new JsDriverHostException($"Chromium failed to run '{command}': {e.Message}. Console: {_console.Text}", e);
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
            throw new JsDriverHostException($"Chromium failed to reset: {e.Message}. Console: {_console.Text}", e);
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
        try
        {
            await _page.CloseAsync(); // also closes the page's own browser context
        }
        catch (PlaywrightException)
        {
        }
    }
}
