using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Conformance.CSharpAdapter;
using Conformance.Engine.Drivers;
using Conformance.Engine.Drivers.Adapters;
using Conformance.Mutants.Clients;

// dotnet harness/Conformance.CSharpAdapter/bin/Release/net10.0/Conformance.CSharpAdapter.dll [--capabilities LIST] [--mutant NAME]
// Serves the C# reference client over the client adapter protocol on stdin/stdout; exits when stdin closes.
// --mutant NAME (test-only): every client is one of the suite's broken C# clients (harness/Conformance.Mutants/Clients,
// e.g. no-resubscribe, no-ack-timeout, close-always-1000), so the self-tests can show that the client scenarios catch a
// broken client delivered through the adapter protocol (harness/Conformance.Cli.Tests/EndToEnd/BrokenAdapterTests.cs).
const string Usage = "usage: Conformance.CSharpAdapter [--capabilities reconnect,pubsub,auth,batching] [--mutant NAME]";
IReadOnlyList<string> capabilities = ClientCapabilities.All; // the C# reference client has them all (batching: ClientSocket.Batching.cs)
ClientMutant? mutant = null;
var csharpMutants = ClientMutantCatalog.All.Where(m => m.Driver == "csharp").ToList();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--capabilities" && i + 1 < args.Length)
    {
        capabilities = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (capabilities.FirstOrDefault(c => !ClientCapabilities.All.Contains(c)) is { } unknown)
        {
            Console.Error.WriteLine($"Conformance.CSharpAdapter: unknown capability {unknown}; known: {string.Join(", ", ClientCapabilities.All)}");
            return 2;
        }
    }
    else if (args[i] == "--mutant" && i + 1 < args.Length)
    {
        var name = args[++i];
        mutant = csharpMutants.FirstOrDefault(m => m.Id == name || m.Id == "csharp/" + name);
        if (mutant is null)
        {
            Console.Error.WriteLine($"Conformance.CSharpAdapter: unknown mutant {name}; known: {string.Join(", ", csharpMutants.Select(m => m.Id["csharp/".Length..]))}");
            return 2;
        }
    }
    else
    {
        Console.Error.WriteLine($"Conformance.CSharpAdapter: unknown argument {args[i]}\n{Usage}");
        return 2;
    }
}

var version = typeof(SocketCluster.Client.ClientSocket).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
var clientName = mutant is null ? "SocketCluster.Client (C# reference)" : $"SocketCluster.Client (C# reference, mutant {mutant.Id})";
var hello = new AdapterHello(1, clientName, version, [1, 2], capabilities);
var proxyFaults = new ConcurrentQueue<Exception>();
IClientDriver driver = mutant is null ? new CSharpClientDriver() : new MutantDriver(new CSharpClientDriver(), mutant, proxyFaults);
await using (var server = new AdapterServer(driver, hello, Console.In, Console.Out))
{
    await server.RunAsync();
}
foreach (var fault in proxyFaults) Console.Error.WriteLine($"Conformance.CSharpAdapter: mutant proxy fault: {fault}");
return 0;

/// <summary>The C# driver whose clients misbehave as one client mutant (<see cref="ClientMutantConnector"/>).</summary>
internal sealed class MutantDriver(IClientDriver inner, ClientMutant mutant, ConcurrentQueue<Exception> proxyFaults) : IClientDriver
{
    public string Name => inner.Name;

    public Task<IClientHandle> ConnectAsync(JsonObject options, CancellationToken cancellation) =>
        ClientMutantConnector.ConnectAsync(inner, mutant, options, proxyFaults, cancellation);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
