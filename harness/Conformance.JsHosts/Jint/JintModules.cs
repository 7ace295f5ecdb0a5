using AstModule = Acornima.Ast.Module;
using Jint;
using Jint.Runtime.Modules;

namespace Conformance.JsHosts.Jint;

/// <summary>
/// The official bundle and driver-core.mjs, parsed once per process (<see cref="Engine.PrepareModule"/>) and shared by
/// every engine: a prepared module is immutable and thread-safe, so a new engine only links and evaluates it.
/// </summary>
internal sealed class JintModules
{
    public const string ClientSpecifier = "socketcluster-client";
    public const string DriverCoreSpecifier = "driver-core";
    public const string MainSpecifier = "conformance-jint-main";

    // The entry module: builds a fresh driver for each host on the already-evaluated client module.
    const string MainSource = """
        import * as client from 'socketcluster-client';
        import {createDriver} from 'driver-core';
        export const clientVersion = client.version;
        export function newDriver() {
          return createDriver(client.create, {version: client.version, host: 'jint', api: 'ag'});
        }
        """;

    static readonly Lazy<JintModules> Shared = new(() => new JintModules(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static JintModules Instance => Shared.Value;

    public Prepared<AstModule> Client { get; }
    public Prepared<AstModule> DriverCore { get; }
    public Prepared<AstModule> Main { get; }

    JintModules()
    {
        Client = Engine.PrepareModule(File.ReadAllText(FixturePaths.Require(FixturePaths.ClientBundle)), ClientSpecifier);
        DriverCore = Engine.PrepareModule(File.ReadAllText(FixturePaths.Require(FixturePaths.DriverCore)), DriverCoreSpecifier);
        Main = Engine.PrepareModule(MainSource, MainSpecifier);
    }

    public void AddTo(Engine engine)
    {
        var client = Client;
        var driverCore = DriverCore;
        var main = Main;
        engine.Modules.Add(ClientSpecifier, b => b.AddModule(client));
        engine.Modules.Add(DriverCoreSpecifier, b => b.AddModule(driverCore));
        engine.Modules.Add(MainSpecifier, b => b.AddModule(main));
    }
}

/// <summary>Resolves only the modules registered with <see cref="JintModules.AddTo"/>; there is no file or network loading.</summary>
internal sealed class RegisteredModulesOnlyLoader : ModuleLoader
{
    public override ResolvedSpecifier Resolve(string? referencingModuleLocation, ModuleRequest moduleRequest) =>
        new(moduleRequest, moduleRequest.Specifier, null, SpecifierType.Bare);

    protected override string LoadModuleContents(Engine engine, ResolvedSpecifier resolved) =>
        throw new InvalidOperationException(
            $"Module '{resolved.Key}' is not available in the Jint host (only the client bundle and driver-core are).");
}
