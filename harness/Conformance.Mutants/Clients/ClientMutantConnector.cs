using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Conformance.Engine.Drivers;
using SocketCluster.Client;

namespace Conformance.Mutants.Clients;

/// <summary>
/// Creates the clients of one <see cref="ClientMutant"/> through an engine client driver: one mechanism for the
/// self-test's in-process drivers (SelfTest/ClientMutantDrivers) and for the C# client adapter's <c>--mutant</c>
/// (harness/Conformance.CSharpAdapter), which delivers the same broken clients through the adapter protocol.
/// <list type="bullet">
/// <item>Wire mutants: the unmodified client connects through a <see cref="MutationProxy"/> (one per client) in front
/// of the server it was pointed at; the proxy's <see cref="ClientWireSession"/> rewrites what the client sends.</item>
/// <item>C# behaviour mutants: the reference client is created with <see cref="ClientFaultInjection.Ambient"/> set
/// (async-local: no other client of the process is affected).</item>
/// </list>
/// Node behaviour mutants are patched JS clients (client-mutants.mjs): the caller starts that driver itself.
/// </summary>
public static class ClientMutantConnector
{
    /// <summary>Connects a client of <paramref name="inner"/> that misbehaves as <paramref name="mutant"/> (null: unmodified).</summary>
    public static Task<IClientHandle> ConnectAsync(IClientDriver inner, ClientMutant? mutant, JsonObject options,
        ConcurrentQueue<Exception> proxyFaults, CancellationToken cancellation) => mutant switch
    {
        null => inner.ConnectAsync(options, cancellation),
        { Mechanism: ClientMutantMechanism.Wire } => ThroughProxyAsync(inner, mutant, options, proxyFaults, cancellation),
        { Driver: "csharp", Behaviour: { } fault } => WithFaultAsync(inner, Enum.Parse<ClientFaults>(fault), options, cancellation),
        _ => throw new ArgumentException($"client mutant '{mutant.Id}' is a patched JS client: start its node driver with the mutate command"),
    };

    private static async Task<IClientHandle> WithFaultAsync(IClientDriver inner, ClientFaults fault, JsonObject options, CancellationToken cancellation)
    {
        // Set in this async method only: the value flows into the create call and is gone when this method returns.
        ClientFaultInjection.Ambient.Value = fault;
        return await inner.ConnectAsync(options, cancellation).ConfigureAwait(false);
    }

    private static async Task<IClientHandle> ThroughProxyAsync(IClientDriver inner, ClientMutant mutant, JsonObject options,
        ConcurrentQueue<Exception> proxyFaults, CancellationToken cancellation)
    {
        // The client's options point at its server (in a scenario: its recording relay): put the proxy in front of it, so
        // the server (and the scenario) sees what the mutated client sends.
        var port = options["port"]?.GetValue<int>() ?? throw new InvalidOperationException("client options without a port");
        var hostname = options["hostname"]?.GetValue<string>() ?? "127.0.0.1";
        var proxy = await MutationProxy.StartAsync(new Uri($"ws://{hostname}:{port}"), mutant.CreateWireSession!, cancellation).ConfigureAwait(false);
        var proxied = (JsonObject)options.DeepClone();
        proxied["hostname"] = "127.0.0.1";
        proxied["port"] = proxy.BaseUri.Port;
        try
        {
            return new ProxiedClientHandle(await inner.ConnectAsync(proxied, cancellation).ConfigureAwait(false), proxy, proxyFaults);
        }
        catch
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
