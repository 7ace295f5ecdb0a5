using Conformance.JsHosts.Chromium;
using Microsoft.Playwright;
using SocketCluster.Sample.Fixture;

namespace Conformance.SamplePage.Tests;

/// <summary>
/// Opens the sample app's page (public/index.html, which loads the official client bundle) in Chromium against the C#
/// sample started in process, and checks that every seed operation it exercises shows its expected result.
/// </summary>
[Collection("browser and servers")] // one at a time on a shared 2-core machine
public sealed class SamplePageTests(ITestOutputHelper output)
{
    static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    // Generous: a loaded 2-core machine; the page itself gives each wait 5 s.
    static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Page_shows_every_seed_operation_working_against_the_CSharp_sample()
    {
        string executable = ChromiumBrowser.FindExecutable() ?? throw new InvalidOperationException(ChromiumBrowser.MissingMessage);
        await using var sample = await SampleServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable, Headless = true, Args = LaunchArgs,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) console.Add($"{m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (console) console.Add($"pageerror: {e}"); };

        await page.GotoAsync(new Uri(sample.HttpUrl, "index.html").ToString());
        try
        {
            // The page sets #summary last, after every other step has settled (ok or failed).
            await page.WaitForFunctionAsync("() => document.getElementById('summary').dataset.state !== 'pending'",
                null, new PageWaitForFunctionOptions { Timeout = (float)PageTimeout.TotalMilliseconds });
        }
        finally
        {
            await KeepScreenshotAsync(page);
            lock (console) foreach (var line in console) output.WriteLine("browser " + line);
        }

        var cells = await ReadCellsAsync(page);
        foreach (var (id, (state, text)) in cells) output.WriteLine($"#{id} [{state}] {text}");

        // Every row settled as ok, and each shows the exact result the seed defines.
        Assert.All(cells, c => Assert.True(c.Value.State == "ok", $"#{c.Key} is {c.Value.State}: {c.Value.Text}"));
        Assert.StartsWith("connected, socket id ", cells["connection"].Text);
        Assert.Equal("subscribed", cells["subscribe"].Text);
        Assert.Equal("sent 123", cells["transmit"].Text);
        Assert.Equal("[123]", cells["transmit-received"].Text);
        Assert.Equal("Success", cells["invoke"].Text);
        Assert.StartsWith("BadCustomError: ", cells["invoke-error"].Text);
        Assert.Equal("received back on foo", cells["transmit-publish"].Text);
        Assert.Equal("acknowledged and received back on foo", cells["invoke-publish"].Text);
        Assert.Equal("received on foo", cells["server-publish"].Text);
        Assert.Equal("""["This is some data","This is some more data","Published by the server"]""", cells["channel-messages"].Text);
        Assert.Equal("all passed", cells["summary"].Text);
    }

    static readonly string[] CellIds =
    [
        "connection", "subscribe", "transmit", "transmit-received", "invoke", "invoke-error", "transmit-publish",
        "invoke-publish", "server-publish", "channel-messages", "summary",
    ];

    static async Task<Dictionary<string, (string State, string Text)>> ReadCellsAsync(IPage page)
    {
        var cells = new Dictionary<string, (string, string)>();
        foreach (var id in CellIds)
        {
            var cell = page.Locator("#" + id);
            cells[id] = (await cell.GetAttributeAsync("data-state") ?? "", (await cell.TextContentAsync() ?? "").Trim());
        }
        return cells;
    }

    /// <summary>The screenshot goes to the test's output directory and is attached to the test result.</summary>
    async Task KeepScreenshotAsync(IPage page)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "sample-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        TestContext.Current.AddAttachment("sample-page.png", await File.ReadAllBytesAsync(path), "image/png");
        TestContext.Current.AddAttachment("sample-page.png path", path);
    }
}
