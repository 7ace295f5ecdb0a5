using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Engine.Running;
using Conformance.JsHosts;

namespace Conformance.Engine.Drivers.Adapters;

/// <summary>
/// A client under test driven through its own adapter program (spec/client-adapter.md): one process per run, JSON lines
/// over its stdin/stdout, client instances by id. Every request has a deadline; a missing, late or malformed answer
/// fails the scenario with the adapter's stderr, never hangs it.
/// </summary>
public sealed class AdapterClientDriver : IClientDriver
{
    /// <summary>The adapter protocol versions this engine speaks (spec/client-adapter.md §2).</summary>
    public static IReadOnlyList<int> AdapterProtocolVersions { get; } = [1];

    private readonly JsonLinesProcess _process;
    private readonly double _waitScale;

    private AdapterClientDriver(string name, JsonLinesProcess process, double waitScale)
    {
        Name = name;
        _process = process;
        _waitScale = waitScale;
    }

    public string Name { get; }

    /// <summary>What the adapter declared in its hello answer.</summary>
    public AdapterHello Hello { get; private set; } = null!;

    /// <summary>Deadline of a request the adapter answers at once (everything but the client's own calls): 10 s × wait scale.</summary>
    internal TimeSpan QuickDeadline => TimeSpan.FromSeconds(10 * _waitScale);

    /// <summary>Deadline of a client call the adapter answers when the client settles it (invoke, publish, authenticate): 30 s × scale, or ackTimeout + 10 s.</summary>
    internal TimeSpan SettleDeadline(int? ackTimeout) =>
        TimeSpan.FromMilliseconds(Math.Max(30_000, (ackTimeout ?? 0) + 10_000) * _waitScale);

    /// <summary>Starts the adapter and exchanges hello (deadline 30 s × wait scale: some runtimes start slowly).</summary>
    public static async Task<AdapterClientDriver> StartAsync(ClientAdapterSpec spec, double waitScale, CancellationToken cancellation)
    {
        var psi = new ProcessStartInfo(spec.Arguments[0]);
        foreach (var arg in spec.Arguments.Skip(1)) psi.ArgumentList.Add(arg);
        var process = JsonLinesProcess.Start(psi, $"client adapter '{spec.Name}' ({spec.Command})",
            $"client adapter '{spec.Name}': cannot start '{spec.Arguments[0]}' (command: {spec.Command})");
        var driver = new AdapterClientDriver(spec.Name, process, waitScale);
        try
        {
            var hello = await driver.RequestAsync("hello", new JsonObject
            {
                ["adapterProtocol"] = new JsonArray(AdapterProtocolVersions.Select(v => (JsonNode)v).ToArray()),
            }, TimeSpan.FromSeconds(30 * waitScale), cancellation).ConfigureAwait(false);
            driver.Hello = AdapterHello.Parse(spec.Name, hello);
        }
        catch
        {
            await driver.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return driver;
    }

    /// <summary>Why <paramref name="scenario"/> does not apply to this client (a protocol version or capability it did not declare), or null.</summary>
    public string? NotApplicableReason(Catalog.ScenarioCase scenario, int protocolVersion)
    {
        if (!Hello.ProtocolVersions.Contains(protocolVersion))
            return $"client '{Name}' does not declare protocol version {protocolVersion} (it speaks {string.Join(", ", Hello.ProtocolVersions.Select(v => "v" + v))})";
        var missing = ClientCapabilities.NeededBy(scenario).Where(c => !Hello.Capabilities.Contains(c)).ToList();
        return missing.Count == 0 ? null
            : $"client '{Name}' does not declare capability {string.Join(", ", missing.Select(c => $"'{c}'"))}";
    }

    /// <summary>
    /// Why <paramref name="scenario"/> checks a detail where the client, declared as built like socketcluster-client 14.x
    /// (hello "legacy": "v14"), is known to differ from current clients (tag @not-v14-client, spec/legacy-v14.md), or
    /// null. Skipped like @not-v14 scenarios on a v14-era server: untested, not failed.
    /// </summary>
    public string? LegacyDifference(Catalog.ScenarioCase scenario) =>
        Hello.Legacy == "v14" && scenario.HasTag(LegacyV14ClientTag)
            ? $"tagged @{LegacyV14ClientTag}: socketcluster-client 14.x behaves differently here (spec/legacy-v14.md), and client '{Name}' declares legacy v14"
            : null;

    /// <summary>The tag of client scenarios that check a detail where socketcluster-client 14.x differs (spec/legacy-v14.md).</summary>
    public const string LegacyV14ClientTag = "not-v14-client";

    public async Task<IClientHandle> ConnectAsync(JsonObject options, CancellationToken cancellation)
    {
        // The typed "not applicable" signal (spec/client-adapter.md §4): never a pass, never a failure of the client.
        if (ScenarioRun.Current is { } run)
        {
            var version = options["protocolVersion"]?.GetValue<int>() ?? run.Session.Settings.ProtocolVersion;
            if (NotApplicableReason(run.Case, version) is { } reason) throw new ScenarioSkippedException(NotApplicableKind.CapabilityAbsent, reason);
            if (LegacyDifference(run.Case) is { } legacy) throw new ScenarioSkippedException(NotApplicableKind.VersionNotSpoken, legacy);
        }
        var reply = await RequestAsync("create", new JsonObject { ["options"] = options.DeepClone() }, QuickDeadline, cancellation).ConfigureAwait(false);
        var result = Expect(reply, "create");
        if (!result.TryGetProperty("client", out var id) || id.ValueKind != JsonValueKind.Number)
            throw Malformed("create", reply, "a numeric \"client\" id");
        return new AdapterClientHandle(this, id.GetInt64());
    }

    /// <summary>Sends {"id","op",...fields} and waits for the reply until <paramref name="deadline"/> passes.</summary>
    internal async Task<JsonElement> RequestAsync(string op, JsonObject fields, TimeSpan deadline, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(deadline);
        try
        {
            return await _process.RequestAsync(id =>
            {
                var request = new JsonObject { ["id"] = id, ["op"] = op };
                foreach (var (key, value) in fields.ToList())
                {
                    fields.Remove(key);
                    request[key] = value;
                }
                return request.ToJsonString();
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"client adapter '{Name}' did not answer \"{op}\" within {deadline.TotalSeconds:0.#} s (spec/client-adapter.md §6). stderr: {_process.Stderr}");
        }
        catch (JsDriverHostException e)
        {
            throw new InvalidOperationException($"client adapter '{Name}' failed during \"{op}\": {e.Message}", e);
        }
    }

    /// <summary>The reply of a request whose failure is the adapter's, not the client's: returns it when ok, else throws.</summary>
    internal JsonElement Expect(JsonElement reply, string op)
    {
        if (reply.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return reply;
        if (ok.ValueKind != JsonValueKind.False) throw Malformed(op, reply, "\"ok\": true or false");
        throw ErrorOf(reply, op) ?? new InvalidOperationException($"client adapter '{Name}': \"{op}\" failed: {Describe(reply)}");
    }

    /// <summary>
    /// The reply of a client call: its outcome. AdapterError and Unsupported are the adapter's own failures (thrown);
    /// any other error is how the client settled the call.
    /// </summary>
    internal CallOutcome Outcome(JsonElement reply, string op)
    {
        if (!reply.TryGetProperty("ok", out var ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw Malformed(op, reply, "\"ok\": true or false");
        if (ok.ValueKind == JsonValueKind.True)
            return reply.TryGetProperty("data", out var data) ? CallOutcome.Success(data.Clone()) : CallOutcome.Success();
        if (ErrorOf(reply, op) is { } adapterFailure) throw adapterFailure;
        if (reply.TryGetProperty("errorValue", out var value)) return CallOutcome.Failure(value.Clone());
        if (reply.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object) return CallOutcome.Failure(error.Clone());
        throw Malformed(op, reply, "\"error\": {name, message} or \"errorValue\" with \"ok\": false");
    }

    private Exception? ErrorOf(JsonElement reply, string op)
    {
        if (!reply.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object) return null;
        var name = error.TryGetProperty("name", out var n) ? n.GetString() : null;
        var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
        return name switch
        {
            // Same as the in-process C# driver's NotSupportedException: an option or call the client does not have.
            "Unsupported" => new NotSupportedException($"client '{Name}': {message}"),
            "AdapterError" => new InvalidOperationException($"client adapter '{Name}' refused \"{op}\": {message}"),
            _ => null,
        };
    }

    internal InvalidOperationException Malformed(string op, JsonElement reply, string wanted) =>
        new($"client adapter '{Name}' answered \"{op}\" without {wanted} (spec/client-adapter.md): {Describe(reply)}");

    private static string Describe(JsonElement reply)
    {
        var text = reply.GetRawText();
        return text.Length <= 400 ? text : text[..400] + "…";
    }

    /// <summary>Closes the adapter's stdin: it closes its clients and exits within 5 s, or is killed.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync(TimeSpan.FromSeconds(5));
}

/// <summary>An adapter's hello answer (spec/client-adapter.md §3).</summary>
public sealed record AdapterHello(int AdapterProtocol, string ClientName, string ClientVersion, IReadOnlyList<int> ProtocolVersions, IReadOnlyList<string> Capabilities)
{
    /// <summary>"v14": the client is built like socketcluster-client 14.x (spec/client-adapter.md §3); null: a current client.</summary>
    public string? Legacy { get; init; }

    public static AdapterHello Parse(string adapterName, JsonElement reply)
    {
        InvalidOperationException Bad(string why) => new($"client adapter '{adapterName}': bad hello answer ({why}): {reply.GetRawText()}");
        if (!reply.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            throw Bad("\"ok\" is not true");
        if (!reply.TryGetProperty("adapterProtocol", out var ap) || !ap.TryGetInt32(out var adapterProtocol)
            || !AdapterClientDriver.AdapterProtocolVersions.Contains(adapterProtocol))
            throw Bad($"\"adapterProtocol\" must be one of {string.Join(", ", AdapterClientDriver.AdapterProtocolVersions)}");
        if (!reply.TryGetProperty("client", out var client) || client.ValueKind != JsonValueKind.Object
            || !client.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || !client.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String)
            throw Bad("\"client\" must be {\"name\": string, \"version\": string}");
        if (!reply.TryGetProperty("protocolVersions", out var pv) || pv.ValueKind != JsonValueKind.Array)
            throw Bad("\"protocolVersions\" must be an array");
        var versions = new List<int>();
        foreach (var v in pv.EnumerateArray())
        {
            if (!v.TryGetInt32(out var n) || n is not (1 or 2)) throw Bad("\"protocolVersions\" may hold only 1 and 2");
            versions.Add(n);
        }
        if (versions.Count == 0) throw Bad("\"protocolVersions\" is empty");
        if (!reply.TryGetProperty("capabilities", out var caps) || caps.ValueKind != JsonValueKind.Array)
            throw Bad("\"capabilities\" must be an array");
        var capabilities = new List<string>();
        foreach (var c in caps.EnumerateArray())
        {
            var text = c.ValueKind == JsonValueKind.String ? c.GetString()! : throw Bad("capabilities must be strings");
            if (!ClientCapabilities.All.Contains(text))
                throw Bad($"unknown capability '{text}'; the known ones are {string.Join(", ", ClientCapabilities.All)}");
            capabilities.Add(text);
        }
        string? legacy = null;
        if (reply.TryGetProperty("legacy", out var l) && l.ValueKind != JsonValueKind.Null)
        {
            legacy = l.ValueKind == JsonValueKind.String && l.GetString() == "v14" ? "v14" : throw Bad("\"legacy\" may only be \"v14\"");
            if (versions.Contains(2)) throw Bad("a \"legacy\": \"v14\" client speaks protocol v1 only");
        }
        return new AdapterHello(adapterProtocol, name.GetString()!, version.GetString()!, versions, capabilities) { Legacy = legacy };
    }

    public override string ToString() =>
        $"{ClientName} {ClientVersion}, protocol {string.Join(",", ProtocolVersions.Select(v => "v" + v))}{(Legacy is null ? "" : $", legacy {Legacy}")}, capabilities: {(Capabilities.Count == 0 ? "none" : string.Join(", ", Capabilities))}";
}
