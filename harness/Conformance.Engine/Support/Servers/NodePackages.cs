using System.Collections.Concurrent;
using System.Diagnostics;

namespace Conformance.Engine.Support;

/// <summary>
/// The pinned official npm packages (js-client-fixtures/node_modules) are not committed. The first scenario that needs
/// them (a Node fixture server, a JS client driver) installs them with `npm ci` from the committed lockfile, once per
/// process, so a fresh clone runs the suite with nothing else done first.
/// </summary>
public static class NodePackages
{
    private static readonly string[] Required =
        ["socketcluster-server", "socketcluster-client", "socketcluster-server-v14", "socketcluster-client-v14"];

    private static readonly ConcurrentDictionary<string, Lazy<Task>> Installs = new(StringComparer.Ordinal);

    public static bool IsInstalled(string jsFixturesFolder) =>
        Required.All(p => File.Exists(Path.Combine(jsFixturesFolder, "node_modules", p, "package.json")));

    public static Task EnsureInstalledAsync(string jsFixturesFolder)
    {
        var folder = Path.GetFullPath(jsFixturesFolder);
        if (IsInstalled(folder)) return Task.CompletedTask;
        return Installs.GetOrAdd(folder, f => new Lazy<Task>(() => InstallAsync(f))).Value;
    }

    private static async Task InstallAsync(string folder)
    {
        if (IsInstalled(folder)) return;
        if (!File.Exists(Path.Combine(folder, "package-lock.json")))
            throw new InvalidOperationException($"{folder}/package-lock.json is missing: the pinned npm packages cannot be installed.");
        Console.Error.WriteLine($"conformance: installing the pinned official npm packages (npm ci in {folder}) ...");
        var info = new ProcessStartInfo("npm")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" }) info.ArgumentList.Add(a);
        Process npm;
        try
        {
            npm = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"npm is needed to install js-client-fixtures/node_modules (Node 20 with npm): {e.Message}", e);
        }
        using (npm)
        {
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync().ConfigureAwait(false);
            if (npm.ExitCode != 0 || !IsInstalled(folder))
            {
                var text = (await errors.ConfigureAwait(false)).Trim();
                if (text.Length == 0) text = (await output.ConfigureAwait(false)).Trim();
                if (text.Length > 2000) text = text[^2000..];
                throw new InvalidOperationException($"'npm ci' in {folder} failed (exit code {npm.ExitCode}): {text}");
            }
        }
    }
}
