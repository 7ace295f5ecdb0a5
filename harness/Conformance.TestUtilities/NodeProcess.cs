using Conformance.JsHosts.Node;

namespace Conformance.TestUtilities;

/// <summary>Runs a node script to completion (CONFORMANCE_NODE, else node on the PATH), capturing its output, with a deadline.</summary>
public static class NodeProcess
{
    public static async Task<ChildProcess.Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        try
        {
            return await ChildProcess.RunAsync(NodeExecutable.Path, workingDirectory, args, timeout);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{NodeExecutable.MissingMessage} ({e.Message})", e);
        }
    }
}
