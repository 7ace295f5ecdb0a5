using System.Diagnostics;
using Microsoft.Playwright;

namespace Conformance.JsHosts.Chromium;

/// <summary>
/// The one Chromium of this process (Debian's, never a downloaded one), launched lazily through Playwright and shared
/// by every <see cref="ChromiumDriverHost"/> together with the local web server that serves the driver page.
/// </summary>
public static class ChromiumBrowser
{
    static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        // Driver pages run unfocused in one browser: without these, Chromium throttles their timers and the
        // official client's ping watchdog can fire late or early on a loaded machine.
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
    ];

    static readonly string[] KnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

    static readonly SemaphoreSlim Gate = new(1, 1);
    static Shared? _shared;

    internal sealed record Shared(IPlaywright Playwright, IBrowser Browser, FixtureWebServer Server, TimeSpan PlaywrightStart,
        TimeSpan BrowserLaunch);

    /// <summary>The Chromium executable: <c>CHROMIUM_PATH</c>, else Debian's; null when none is installed.</summary>
    public static string? FindExecutable() => FindExecutable(Environment.GetEnvironmentVariable, File.Exists);

    internal static string? FindExecutable(Func<string, string?> environment, Func<string, bool> fileExists)
    {
        string? fromEnv = environment("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(fromEnv)) return fileExists(fromEnv) ? fromEnv : null;
        return KnownPaths.FirstOrDefault(fileExists);
    }

    public static string MissingMessage =>
        "Chromium was not found (looked at CHROMIUM_PATH, " + string.Join(", ", KnownPaths) + "). Install Debian's Chromium " +
        "with `apt-get update && apt-get install -y chromium`, or set CHROMIUM_PATH. Browsers are never downloaded.";

    /// <summary>Time to start the Playwright driver and to launch Chromium (zero until launched).</summary>
    public static (TimeSpan PlaywrightStart, TimeSpan BrowserLaunch) StartupCost =>
        _shared is { } s ? (s.PlaywrightStart, s.BrowserLaunch) : default;

    /// <summary>
    /// The installed conformance tool leaves out Playwright's per-platform node binary (.playwright/node, 120 MB; see
    /// Conformance.Cli.csproj): Playwright's driver then runs on the node the browser scenarios need anyway
    /// (PLAYWRIGHT_NODEJS_PATH, unless already set).
    /// </summary>
    private static void UseSystemNodeWithoutBundledOne()
    {
        if (Environment.GetEnvironmentVariable("PLAYWRIGHT_NODEJS_PATH") is { Length: > 0 }) return;
        if (Directory.Exists(Path.Combine(AppContext.BaseDirectory, ".playwright", "node"))) return;
        // Playwright wants a file, not a command name: resolve "node" on the PATH.
        var node = Node.NodeExecutable.Path;
        if (!Path.IsPathRooted(node))
            node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(dir => new[] { Path.Combine(dir, node), Path.Combine(dir, node + ".exe") })
                .FirstOrDefault(File.Exists) ?? throw new JsHostUnavailableException(Node.NodeExecutable.MissingMessage);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_NODEJS_PATH", node);
    }

    /// <param name="launch">False: only a browser that is already running (spare pages must not resurrect one).</param>
    internal static async Task<Shared> GetAsync(bool launch = true)
    {
        if (_shared is { Browser.IsConnected: true } ready) return ready;
        if (!launch) throw new JsDriverHostException("Chromium is not running.");
        await Gate.WaitAsync();
        try
        {
            if (_shared is { Browser.IsConnected: true } again) return again;
            if (_shared is not null) await ShutdownCoreAsync(); // the browser went away: start over
            string executable = FindExecutable() ?? throw new JsHostUnavailableException(MissingMessage);
            var server = await FixtureWebServer.StartAsync();
            var clock = Stopwatch.StartNew();
            IPlaywright playwright;
            try
            {
                UseSystemNodeWithoutBundledOne();
                playwright = await Playwright.CreateAsync();
            }
            catch (Exception e)
            {
                await server.DisposeAsync();
                throw new JsHostUnavailableException($"Playwright could not start its driver: {e.Message}", e);
            }
            var playwrightStart = clock.Elapsed;
            clock.Restart();
            IBrowser browser;
            try
            {
                browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = executable,
                    Headless = true,
                    Args = LaunchArgs,
                });
            }
            catch (Exception e)
            {
                playwright.Dispose();
                await server.DisposeAsync();
                throw new JsHostUnavailableException($"Chromium at {executable} did not launch: {e.Message}. {MissingMessage}", e);
            }
            _shared = new Shared(playwright, browser, server, playwrightStart, clock.Elapsed);
            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Closes the shared browser and web server (they are also torn down when the process exits).</summary>
    public static async Task ShutdownAsync()
    {
        await Gate.WaitAsync();
        try
        {
            await ShutdownCoreAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task ShutdownCoreAsync()
    {
        SpareDriverPage.Discard();
        var shared = _shared;
        _shared = null;
        if (shared is null) return;
        try { await shared.Browser.CloseAsync(); } catch (PlaywrightException) { }
        shared.Playwright.Dispose();
        await shared.Server.DisposeAsync();
    }
}
