using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Conformance.Engine.Drivers;
using Conformance.Engine.Support;
using Conformance.JsHosts;
using Conformance.Mutants.Clients;
using SocketCluster.Client;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>
/// The "csharp" and "node" client drivers of one self-test session, switchable between the unmodified client
/// (<see cref="Current"/> null: the baseline) and one <see cref="ClientMutant"/> at a time, like
/// <see cref="MutationProxy.Use"/> for servers. Registered under the engine's own driver names, so the scenarios'
/// Examples rows pick them up unchanged. A mutant changes only the clients created while it is current.
/// <list type="bullet">
/// <item>Wire mutants: the unmodified client connects through a <see cref="MutationProxy"/> (one per client) in front
/// of its relay; the proxy's <see cref="ClientWireSession"/> rewrites what the client sends.</item>
/// <item>C# behaviour mutants: the reference client is created with <see cref="ClientFaultInjection.Ambient"/> set
/// (async-local: no other client of the process is affected).</item>
/// <item>Node behaviour mutants: a dedicated node-client-driver.mjs process, told to patch the official client
/// (the test-only <c>mutate</c> command) before its first socket.</item>
/// </list>
/// </summary>
public sealed class ClientMutantDrivers : IAsyncDisposable
{
    private readonly string _jsFixtures;
    private readonly CSharpClientDriver _csharp = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<IClientDriver>>> _node = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Exception> _proxyFaults = new();
    private volatile ClientMutant? _current;

    public ClientMutantDrivers(ConformanceSession session)
    {
        _jsFixtures = session.Settings.JsFixturesFolder;
        foreach (var name in new[] { "csharp", "node" })
            session.Clients.Register(name, (_, _) => Task.FromResult<IClientDriver>(new SwitchDriver(name, this)));
    }

    /// <summary>The mutant new clients get (null: the unmodified clients).</summary>
    public ClientMutant? Current { get => _current; set => _current = value; }

    /// <summary>Errors raised inside wire-mutant proxies (a healthy run has none).</summary>
    public IReadOnlyCollection<Exception> ProxyFaults => _proxyFaults;

    private async Task<IClientHandle> ConnectAsync(string driverName, JsonObject options, CancellationToken cancellation)
    {
        var mutant = _current is { } m && m.Driver == driverName ? m : null;
        if (mutant?.Mechanism == ClientMutantMechanism.Wire) return await ConnectThroughProxyAsync(driverName, mutant, options, cancellation).ConfigureAwait(false);
        var behaviour = mutant?.Behaviour;
        if (driverName == "csharp") return await ConnectCSharpAsync(behaviour, options, cancellation).ConfigureAwait(false);
        var node = await NodeDriverAsync(behaviour).ConfigureAwait(false);
        return await node.ConnectAsync(options, cancellation).ConfigureAwait(false);
    }

    private async Task<IClientHandle> ConnectCSharpAsync(string? fault, JsonObject options, CancellationToken cancellation)
    {
        // Set in this async method only: the value flows into the create call and is gone when this method returns.
        ClientFaultInjection.Ambient.Value = fault is null ? ClientFaults.None : Enum.Parse<ClientFaults>(fault);
        return await _csharp.ConnectAsync(options, cancellation).ConfigureAwait(false);
    }

    /// <summary>The unmodified node driver (key "") or one patched with a client-mutants.mjs mutant, started once each.</summary>
    private Task<IClientDriver> NodeDriverAsync(string? mutant) =>
        _node.GetOrAdd(mutant ?? "", key => new Lazy<Task<IClientDriver>>(async () =>
        {
            await NodePackages.EnsureInstalledAsync(_jsFixtures).ConfigureAwait(false);
            var host = await JsDriverHosts.StartAsync("node").ConfigureAwait(false);
            if (key.Length > 0)
            {
                var result = await host.CallAsync("mutate", [System.Text.Json.JsonSerializer.SerializeToElement(key)]).ConfigureAwait(false);
                if (!result.TryGetProperty("ok", out var ok) || ok.ValueKind != System.Text.Json.JsonValueKind.True)
                {
                    await host.DisposeAsync().ConfigureAwait(false);
                    throw new InvalidOperationException($"node driver refused client mutant '{key}': {result.GetRawText()}");
                }
            }
            return new JsClientDriver(host);
        })).Value;

    private async Task<IClientHandle> ConnectThroughProxyAsync(string driverName, ClientMutant mutant, JsonObject options, CancellationToken cancellation)
    {
        // The client's options point at its recording relay (ClientSteps): put the proxy in front of it, so the relay
        // (and the scenario) sees what the mutated client sends.
        var port = options["port"]?.GetValue<int>() ?? throw new InvalidOperationException("client options without a port");
        var hostname = options["hostname"]?.GetValue<string>() ?? "127.0.0.1";
        var proxy = await MutationProxy.StartAsync(new Uri($"ws://{hostname}:{port}"), mutant.CreateWireSession!, cancellation).ConfigureAwait(false);
        var proxied = (JsonObject)options.DeepClone();
        proxied["hostname"] = "127.0.0.1";
        proxied["port"] = proxy.BaseUri.Port;
        try
        {
            var inner = driverName == "csharp"
                ? await ConnectCSharpAsync(null, proxied, cancellation).ConfigureAwait(false)
                : await (await NodeDriverAsync(null).ConfigureAwait(false)).ConnectAsync(proxied, cancellation).ConfigureAwait(false);
            return new ProxiedClientHandle(inner, proxy, _proxyFaults);
        }
        catch
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _node.Values)
        {
            if (!lazy.IsValueCreated) continue;
            try { await (await lazy.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false); }
            catch (Exception) { /* a host that failed to start has nothing to dispose */ }
        }
    }

    /// <summary>What the engine sees under the name "csharp" or "node".</summary>
    private sealed class SwitchDriver(string name, ClientMutantDrivers owner) : IClientDriver
    {
        public string Name => name;

        public Task<IClientHandle> ConnectAsync(JsonObject options, CancellationToken cancellation) => owner.ConnectAsync(name, options, cancellation);

        // The owner disposes the hosts once, at the end of the self-test (the session disposes its drivers too).
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
