using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace SocketCluster.Server;

/// <summary>
/// Caps Kestrel's connection limits below the process's open-files limit (RLIMIT_NOFILE), when the app has set
/// neither, so a flood of connections is refused by Kestrel instead of taking the process down. Every held socket is one file descriptor; once they are all used, the runtime itself cannot create a
/// thread-pool thread (its thread start opens a pipe) or load an assembly, and .NET aborts with "Out of memory." —
/// observed at ~19,800 idle connections under a 20,000 limit. Kestrel's accept loop survives EMFILE; the runtime
/// does not.
/// Kestrel counts a connection against <see cref="KestrelServerLimits.MaxConcurrentConnections"/> until it is upgraded
/// and then against <see cref="KestrelServerLimits.MaxConcurrentUpgradedConnections"/> only, so the descriptors left
/// are split: an eighth (at most 1024) for connections still in their HTTP handshake, the rest for WebSockets. An
/// upgrade beyond the limit is answered as a plain HTTP request (no 101); a connection beyond the other is closed.
/// </summary>
internal sealed class OpenFilesConnectionLimit : IPostConfigureOptions<KestrelServerOptions>
{
    /// <summary>
    /// Descriptors kept free beyond those open when Kestrel is configured: assemblies loaded later (each maps a file),
    /// thread starts, log files, outgoing connections (a broker, JWT key fetches) and the transient accept of a
    /// connection Kestrel then refuses.
    /// </summary>
    public const int Reserve = 256;

    public void PostConfigure(string? name, KestrelServerOptions options)
    {
        // The app's own choice wins.
        if (options.Limits.MaxConcurrentConnections is not null || options.Limits.MaxConcurrentUpgradedConnections is not null) return;
        if (Compute(ReadSoftLimit(), CountOpenDescriptors()) is not var (http, upgraded)) return;
        options.Limits.MaxConcurrentConnections = http;
        options.Limits.MaxConcurrentUpgradedConnections = upgraded;
    }

    /// <summary>
    /// The caps (connections before upgrade, upgraded connections) for a soft limit and the descriptors already open;
    /// null when no limit is known. Their sum never exceeds the descriptors available (at least one of each).
    /// </summary>
    internal static (long Http, long Upgraded)? Compute(long? softLimit, int openNow)
    {
        if (softLimit is not { } soft) return null;
        var available = Math.Max(2, soft - openNow - Reserve);
        var http = Math.Clamp(available / 8, 1, 1024);
        return (http, available - http);
    }

    /// <summary>The soft "Max open files" of /proc/self/limits (Linux); null elsewhere or when unlimited.</summary>
    internal static long? ReadSoftLimit()
    {
        try
        {
            if (!File.Exists("/proc/self/limits")) return null;
            foreach (var line in File.ReadLines("/proc/self/limits")) if (ParseLimitsLine(line) is { } soft) return soft;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>"Max open files  1024  4096  files" → 1024; "unlimited" or another line → null.</summary>
    internal static long? ParseLimitsLine(string line)
    {
        const string Prefix = "Max open files";
        if (!line.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var fields = line[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
    }

    private static int CountOpenDescriptors()
    {
        try { return Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : 0; }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}
