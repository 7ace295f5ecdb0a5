using System.Runtime.CompilerServices;

namespace Conformance.Mutants.Tests;

/// <summary>This host's embedded server is the C# reference sample (the engine does not reference it).</summary>
internal static class EmbeddedSampleRegistration
{
#pragma warning disable CA2255 // a test host, not a library: its sessions need the sample before any test runs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => Conformance.EmbeddedSample.SampleEmbeddedServer.Register();
}
