using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Conformance.JsHosts.Chromium;

/// <summary>
/// A local Kestrel (127.0.0.1, ephemeral port) serving the browser driver page, driver-core.mjs and the official
/// client bundle with the mapping driver.html expects: /driver.html, /driver/driver-core.mjs and
/// /socketcluster-client.min.js (the repository layout under js-client-fixtures/ is served too).
/// Only these files are served; everything else is 404.
/// </summary>
internal sealed class FixtureWebServer : IAsyncDisposable
{
    const string ClientBundlePath = "/node_modules/socketcluster-client/socketcluster-client.min.js";
    static readonly string[] ServedFolders = ["/browser/", "/driver/"];

    readonly WebApplication _app;

    FixtureWebServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>e.g. http://127.0.0.1:40123/</summary>
    public Uri BaseUri { get; }

    public Uri DriverPageUri => new(BaseUri, "driver.html");

    public static async Task<FixtureWebServer> StartAsync()
    {
        string root = Path.GetFullPath(FixturePaths.JsClientFixtures);
        var app = LoopbackWebApp.Create();
        app.Run(context => ServeAsync(context, root));
        return new FixtureWebServer(app, new Uri($"http://127.0.0.1:{await LoopbackWebApp.StartAsync(app)}/"));
    }

    static async Task ServeAsync(HttpContext context, string root)
    {
        string path = context.Request.Path.Value ?? "/";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        // The short paths driver.html uses.
        if (path == "/socketcluster-client.min.js") path = ClientBundlePath;
        else if (path == "/driver.html") path = "/browser/driver.html";
        bool allowed = path == ClientBundlePath || ServedFolders.Any(f => path.StartsWith(f, StringComparison.Ordinal));
        string file = Path.GetFullPath(Path.Combine(root, path.TrimStart('/')));
        // Refuse anything that escapes js-client-fixtures (../ tricks) or is not in the served set.
        if (!allowed || !file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"Not found: {path}");
            return;
        }
        context.Response.ContentType = ContentTypeOf(file);
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.SendFileAsync(file);
    }

    static string ContentTypeOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".json" => "application/json",
        ".css" => "text/css",
        _ => "application/octet-stream",
    };

    public async ValueTask DisposeAsync() => await LoopbackWebApp.StopAsync(_app);
}
