using Microsoft.Playwright;

namespace Conformance.JsHosts.Chromium;

/// <summary>
/// A Chromium page (in a browser context of its own, so with its own localStorage) that has loaded driver.html and
/// has <c>window.scDriver</c> ready. Its console goes to a tail kept for error messages and to the current sink.
/// </summary>
internal sealed class DriverPage
{
    // driver.html sets scDriverReady once the driver exists, or scDriverError when an import failed.
    const string ReadyScript = "() => window.scDriverReady === true || typeof window.scDriverError === 'string'";

    readonly StderrTail _console = new(200);
    volatile Action<string>? _sink;

    DriverPage(IPage page) => Page = page;

    public IPage Page { get; }

    public string ConsoleTail => _console.Text;

    /// <summary>Where console lines go from now on (the host's consoleSink).</summary>
    public Action<string>? Sink
    {
        set => _sink = value;
    }

    public bool IsUsable => !Page.IsClosed && Page.Context.Browser is { IsConnected: true };

    void Log(string line)
    {
        _console.Add(line);
        _sink?.Invoke(line);
    }

    public static async Task<DriverPage> OpenAsync(CancellationToken ct, bool launchBrowser = true)
    {
        var shared = await ChromiumBrowser.GetAsync(launchBrowser).WaitAsync(ct);
        var page = new DriverPage(await shared.Browser.NewPageAsync().WaitAsync(ct));
        page.Page.Console += (_, message) => page.Log($"[{message.Type}] {message.Text}");
        page.Page.PageError += (_, error) => page.Log($"[pageerror] {error}");
        page.Page.Crash += (_, _) => page.Log("[crash] the page crashed");
        try
        {
            var uri = shared.Server.DriverPageUri;
            var response = await page.Page.GotoAsync(uri.ToString()).WaitAsync(ct);
            if (response is null || !response.Ok)
            {
                throw new JsDriverHostException($"Loading {uri} answered {response?.Status.ToString() ?? "nothing"}.");
            }
            try
            {
                await page.Page.WaitForFunctionAsync(ReadyScript, null, new PageWaitForFunctionOptions { Timeout = 30_000 }).WaitAsync(ct);
            }
            catch (TimeoutException e)
            {
                throw new JsDriverHostException($"driver.html did not define window.scDriver within 30 s. Console: {page.ConsoleTail}", e);
            }
            string? loadError = await page.Page.EvaluateAsync<string?>("() => window.scDriverError ?? null").WaitAsync(ct);
            if (loadError is not null)
            {
                throw new JsDriverHostException($"driver.html failed to load the driver: {loadError}. Console: {page.ConsoleTail}");
            }
        }
        catch
        {
            await page.CloseAsync();
            throw;
        }
        return page;
    }

    public async Task CloseAsync()
    {
        try
        {
            await Page.CloseAsync(); // also closes the page's own browser context
        }
        catch (PlaywrightException)
        {
        }
    }
}

/// <summary>
/// Keeps one driver page loaded ahead of time, so that a new host usually gets its page at once instead of waiting
/// for a renderer process, a page load and the bundle import (the bulk of a Chromium host's start-up).
/// </summary>
internal static class SpareDriverPage
{
    static readonly object Gate = new();
    static Task<DriverPage>? _spare;

    public static volatile bool Enabled = true;

    public static async Task<DriverPage> TakeAsync(CancellationToken ct)
    {
        Task<DriverPage>? spare;
        lock (Gate)
        {
            spare = _spare;
            _spare = null;
        }
        DriverPage? page = null;
        if (spare is not null)
        {
            try
            {
                page = await spare.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Return(spare);
                throw;
            }
            catch (Exception)
            {
                page = null; // it failed to load; open one in the foreground, which reports the error if it persists
            }
            if (page is { IsUsable: false }) page = null; // the browser was restarted since
        }
        page ??= await DriverPage.OpenAsync(ct);
        if (Enabled)
        {
            lock (Gate) _spare ??= Prepare();
        }
        return page;
    }

    /// <summary>Forgets the spare page (the browser is shutting down; closing it closes the page).</summary>
    public static void Discard()
    {
        Task<DriverPage>? spare;
        lock (Gate)
        {
            spare = _spare;
            _spare = null;
        }
        if (spare is not null) Return(spare, closeOnly: true);
    }

    static Task<DriverPage> Prepare()
    {
        var task = Task.Run(() => DriverPage.OpenAsync(CancellationToken.None, launchBrowser: false));
        _ = task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed; retried on the next take
        return task;
    }

    // Puts a spare back for the next host, or closes it when the slot is taken (or only closing is wanted).
    static void Return(Task<DriverPage> spare, bool closeOnly = false)
    {
        if (!closeOnly)
        {
            lock (Gate)
            {
                if (_spare is null)
                {
                    _spare = spare;
                    return;
                }
            }
        }
        _ = spare.ContinueWith(t => t.Result.CloseAsync(), TaskContinuationOptions.OnlyOnRanToCompletion);
    }
}
