using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketCluster.Client.Tests.Infrastructure;
using SocketCluster.Protocol;

namespace SocketCluster.Client.Tests.DocsExamples;

/// <summary>
/// Every ```csharp block of README.md and reference/*/README.md is a whole program a new user can paste into a new
/// project (Web SDK implicit usings, the SocketCluster packages): each is compiled here with Roslyn as such a project
/// would compile it, and run — the server snippets serve the guide's customProc, the client snippets run against them.
/// The only edit before compiling: the guide's localhost:8000 becomes this test's loopback port.
/// </summary>
public sealed partial class DocsExamplesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>What `dotnet new web` puts in scope (Microsoft.NET.Sdk.Web implicit usings).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    public static TheoryData<string> Documents => new(
        new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "reference"), "README.md", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(p => Path.GetRelativePath(RepoPaths.Root, p)))
        .Order(StringComparer.Ordinal));

    [Theory, MemberData(nameof(Documents))]
    public void Every_snippet_compiles_as_a_new_project(string document)
    {
        foreach (var snippet in Snippets(document))
        {
            var result = Compile(snippet.Code, snippet.Name);
            Assert.True(result.Assembly is not null, $"{snippet.Name} does not compile:\n{result.Errors}\n---\n{snippet.Code}");
        }
    }

    [Fact]
    public async Task The_server_snippets_serve_the_guide_and_the_client_snippets_run_against_them()
    {
        var all = Documents.Select(d => d.Data).SelectMany(Snippets).DistinctBy(s => s.Code).ToList();
        var servers = all.Where(s => s.Code.Contains("WebApplication.CreateBuilder", StringComparison.Ordinal)).ToList();
        var clients = all.Where(s => s.Code.Contains("SocketClusterClient.Create", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(servers);
        Assert.NotEmpty(clients);
        Assert.All(all, s => Assert.True(servers.Contains(s) || clients.Contains(s), $"{s.Name} is neither a server nor a client program"));

        foreach (var server in servers)
        {
            await using var running = await RunServerAsync(server);
            // The guide's customProc, checked with the reference client.
            await using (var socket = SocketClusterClient.Create($"ws://127.0.0.1:{running.Port}/socketcluster/"))
            {
                Assert.Equal("Success", await socket.InvokeAsync<string>("customProc", new { foo = "bar" }).WaitAsync(Deadline));
                var error = await Assert.ThrowsAsync<ScRemoteException>(() => socket.InvokeAsync("customProc", new { bad = true }).WaitAsync(Deadline));
                Assert.Equal(("BadCustomError", "Server failed to execute the procedure"), (error.Name, error.Message));
                Assert.Equal("Success", await socket.InvokeAsync<string>("customProc", "not an object").WaitAsync(Deadline));
            }
            foreach (var client in clients)
            {
                var assembly = Compile(client.Code.Replace("localhost:8000", $"127.0.0.1:{running.Port}", StringComparison.Ordinal), client.Name).Assembly;
                Assert.NotNull(assembly);
                var run = Task.Factory.StartNew(() => assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]), TaskCreationOptions.LongRunning);
                await run.WaitAsync(Deadline); // an exception in the snippet fails the test here
            }
        }
    }

    private sealed record Snippet(string Name, string Code);

    [GeneratedRegex(@"^```csharp\r?\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    private static IEnumerable<Snippet> Snippets(string document)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, document));
        var index = 0;
        foreach (Match match in CSharpBlock().Matches(text))
        {
            var line = text[..match.Index].Count(c => c == '\n') + 1;
            yield return new Snippet($"{document}:{line} (block {++index})", match.Groups[1].Value);
        }
    }

    private sealed record Compilation(Assembly? Assembly, string Errors);

    private static Compilation Compile(string code, string name)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "SocketCluster.*.dll"))
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "Microsoft.IdentityModel.*.dll"))
            .DistinctBy(Path.GetFileName)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create($"Snippet{Guid.NewGuid():N}",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), CSharpSyntaxTree.ParseText(code, parse, path: name)],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        var errors = string.Join('\n', emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        return emit.Success ? new Compilation(Assembly.Load(stream.ToArray()), errors) : new Compilation(null, errors);
    }

    /// <summary>
    /// Runs a server snippet's Main on its own thread (app.Run() blocks) and finds its host through the hosting
    /// DiagnosticListener, as WebApplicationFactory does; disposing stops the app and waits for Main to return.
    /// </summary>
    private static async Task<RunningSnippet> RunServerAsync(Snippet snippet)
    {
        var assembly = Compile(snippet.Code.Replace("localhost:8000", "127.0.0.1:0", StringComparison.Ordinal), snippet.Name).Assembly;
        Assert.NotNull(assembly);
        var built = new TaskCompletionSource<IHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = HostCapture.Capture(assembly, built);
        var main = Task.Factory.StartNew(() =>
        {
            RunningAssembly.Value = assembly;
            return assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]);
        }, TaskCreationOptions.LongRunning);
        var host = await built.Task.WaitAsync(Deadline);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(started.SetResult);
        await Task.WhenAny(started.Task, main).WaitAsync(Deadline);
        if (main.IsFaulted) await main; // surfaces the snippet's exception
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSnippet(lifetime, main, new Uri(address).Port);
    }

    /// <summary>The snippet whose Main runs on this flow (hosting events are raised on the thread that builds the host).</summary>
    private static readonly AsyncLocal<Assembly?> RunningAssembly = new();

    private sealed record RunningSnippet(IHostApplicationLifetime Lifetime, Task Main, int Port) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Lifetime.StopApplication();
            await Main.WaitAsync(Deadline);
        }
    }

    /// <summary>Takes the host built by one snippet assembly from the "Microsoft.Extensions.Hosting" DiagnosticListener.</summary>
    private sealed class HostCapture(Assembly snippet, TaskCompletionSource<IHost> built) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        private readonly List<IDisposable> _subscriptions = [];

        public static IDisposable Capture(Assembly snippet, TaskCompletionSource<IHost> built)
        {
            var capture = new HostCapture(snippet, built);
            var all = DiagnosticListener.AllListeners.Subscribe(capture);
            return new Unsubscriber(() =>
            {
                all.Dispose();
                lock (capture._subscriptions) capture._subscriptions.ForEach(s => s.Dispose());
            });
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name != "Microsoft.Extensions.Hosting") return;
            lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            // Other tests build hosts in this process too: take only the one whose application is the snippet.
            if (e.Key == "HostBuilt" && e.Value is IHost host && RunningAssembly.Value == snippet)
                built.TrySetResult(host);
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }

        private sealed class Unsubscriber(Action dispose) : IDisposable
        {
            public void Dispose() => dispose();
        }
    }
}
