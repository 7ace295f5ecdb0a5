using System.Text;
using Conformance.Engine.Catalog;
using Conformance.Engine.Support;

namespace Conformance.Engine.Drivers.Adapters;

/// <summary>
/// A client adapter named on the command line (<c>--client NAME=COMMAND</c>) or in <c>SC_CLIENT_ADAPTER</c>: the name
/// the reports grade, and the command that starts the adapter program (spec/client-adapter.md).
/// </summary>
public sealed record ClientAdapterSpec(string Name, string Command, IReadOnlyList<string> Arguments)
{
    /// <summary>The built-in drivers: an adapter may not take their names (the reports would mix two subjects).</summary>
    public static IReadOnlyList<string> BuiltInNames => ClientDimension.BuiltInClients;

    /// <summary>
    /// Parses "NAME=COMMAND". NAME is letters, digits, '-', '_' or '.'; COMMAND is split into arguments like a POSIX
    /// shell splits words (whitespace; '…' and "…" quote; \ escapes outside single quotes) but nothing else of a shell
    /// runs: no variables, globs or pipes. Relative paths resolve against the current directory.
    /// </summary>
    public static ClientAdapterSpec Parse(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0) throw new ArgumentException($"a client adapter is NAME=COMMAND, e.g. mine=\"python3 adapter.py\" (got \"{text}\")");
        var name = text[..equals].Trim();
        var command = text[(equals + 1)..].Trim();
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ArgumentException($"client adapter name \"{name}\" may hold only letters, digits, '-', '_' and '.'");
        if (BuiltInNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"client adapter name \"{name}\" is a built-in driver's name; choose another (e.g. \"{name}-adapter\")");
        var arguments = Split(command);
        if (arguments.Count == 0) throw new ArgumentException($"client adapter \"{name}\" has no command");
        return new ClientAdapterSpec(name, command, arguments);
    }

    /// <summary>SC_CLIENT_ADAPTER: one NAME=COMMAND (dotnet test runs one adapter at a time); empty means none.</summary>
    public static IReadOnlyList<ClientAdapterSpec> FromEnvironment(Func<string, string?> getEnv) =>
        getEnv("SC_CLIENT_ADAPTER") is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? [Parse(text.Trim())] : [];

    private static List<string> Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = '\0'; else word.Append(c);
            }
            else if (c == '\\' && i + 1 < command.Length && (quote == '\0' || command[i + 1] is '"' or '\\'))
            {
                word.Append(command[++i]);
                inWord = true;
            }
            else if (quote == '"')
            {
                if (c == '"') quote = '\0'; else word.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0') throw new ArgumentException($"unbalanced {quote} in client adapter command: {command}");
        if (inWord) words.Add(word.ToString());
        return words;
    }
}

/// <summary>
/// How adapters join a run: each adapter is a client under test, the run dimension of the @client scenarios
/// (ClientDimension.Expand runs every @client case once per adapter, and leaves out the built-in drivers and the server
/// scenarios: the run grades the adapters' clients only).
/// </summary>
public static class ClientAdapters
{
    /// <summary>Registers each adapter as a client driver of <paramref name="drivers"/> (started on first use, then shared).</summary>
    public static void Register(ClientDrivers drivers, IEnumerable<ClientAdapterSpec> adapters)
    {
        foreach (var spec in adapters)
        {
            drivers.Register(spec.Name, async (session, ct) =>
                await AdapterClientDriver.StartAsync(spec, session.Settings.WaitScale, ct).ConfigureAwait(false));
        }
    }

    /// <summary>The cases a run with <paramref name="adapters"/> executes: ClientDimension.Expand with their names.</summary>
    public static IReadOnlyList<ScenarioCase> Retarget(IReadOnlyList<ScenarioCase> cases, IReadOnlyList<ClientAdapterSpec> adapters) =>
        ClientDimension.Expand(cases, adapters.Select(a => a.Name).ToList());

    /// <summary>
    /// Why <paramref name="scenario"/> does not apply to the adapter it runs with (protocol version or capability not
    /// declared), starting the adapter if needed; null when it applies or does not run with an adapter.
    /// </summary>
    public static async Task<string?> NotApplicableReasonAsync(ConformanceSession session, ScenarioCase scenario)
    {
        if (scenario.Client is not { } name) return null;
        if (!session.Settings.ClientAdapters.Any(a => a.Name == name)) return null;
        AdapterClientDriver driver;
        try { driver = (AdapterClientDriver)await session.Clients.GetAsync(name).ConfigureAwait(false); }
        catch (Exception) { return null; } // an adapter that does not start fails the scenario itself, at its first client step
        return driver.NotApplicableReason(scenario, session.Settings.ProtocolVersion);
    }
}
