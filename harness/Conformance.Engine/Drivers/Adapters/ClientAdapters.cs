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
    public static IReadOnlyList<string> BuiltInNames { get; } = ["csharp", "node", "chromium", "jint"];

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
/// How adapters join a run. Until the driver becomes a run dimension (issue 11 §2), client scenarios name their driver
/// in Examples rows; with adapters given, each @client row of the official JS client under Node ("node", the known-good
/// row) is run once per adapter instead, with the driver and the graded subject replaced by the adapter's name. The
/// other built-in rows, plain @client scenarios without a client column, and server scenarios are left out: the run
/// grades the adapters' clients only.
/// </summary>
public static class ClientAdapters
{
    /// <summary>The Examples row whose driver the adapters replace.</summary>
    public const string ReplacedDriver = "node";

    /// <summary>Registers each adapter as a client driver of <paramref name="drivers"/> (started on first use, then shared).</summary>
    public static void Register(ClientDrivers drivers, IEnumerable<ClientAdapterSpec> adapters)
    {
        foreach (var spec in adapters)
        {
            drivers.Register(spec.Name, async (session, ct) =>
                await AdapterClientDriver.StartAsync(spec, session.Settings.WaitScale, ct).ConfigureAwait(false));
        }
    }

    /// <summary>The cases a run with <paramref name="adapters"/> executes (all of <paramref name="cases"/> when there are none).</summary>
    public static IReadOnlyList<ScenarioCase> Retarget(IReadOnlyList<ScenarioCase> cases, IReadOnlyList<ClientAdapterSpec> adapters)
    {
        if (adapters.Count == 0) return cases;
        var outlines = cases.Where(IsClientRow).GroupBy(c => (c.FeaturePath, c.ScenarioLine)).ToDictionary(g => g.Key, g => g.ToList());
        var result = new List<ScenarioCase>();
        foreach (var scenario in cases)
        {
            if (scenario.LoadError is not null) { result.Add(scenario); continue; }
            if (!IsClientRow(scenario) || scenario.ExampleArguments["client"] != ReplacedDriver) continue;
            // Best a row that differs in the client only; any other row of the outline will do.
            var siblings = outlines[(scenario.FeaturePath, scenario.ScenarioLine)].Where(c => c.ExampleArguments["client"] != ReplacedDriver).ToList();
            var sibling = siblings.FirstOrDefault(c => c.ExampleArguments.All(p => p.Key == "client" || scenario.ExampleArguments.GetValueOrDefault(p.Key) == p.Value))
                ?? siblings.FirstOrDefault();
            foreach (var adapter in adapters) result.Add(RowFor(scenario, sibling, adapter.Name));
        }
        return result;
    }

    private static bool IsClientRow(ScenarioCase c) => c.HasTag("client") && c.ExampleArguments.ContainsKey("client");

    /// <summary>
    /// The node row with its &lt;client&gt; steps naming the adapter. Which steps came from &lt;client&gt; is read off a
    /// sibling row of the same outline (the steps whose text differs); steps that name a fixed helper driver ("a node
    /// client B" beside "a &lt;client&gt; client C") keep it.
    /// </summary>
    private static ScenarioCase RowFor(ScenarioCase row, ScenarioCase? sibling, string name)
    {
        var steps = row.Steps.Select((step, i) =>
        {
            var fromPlaceholder = sibling is null || i >= sibling.Steps.Count || sibling.Steps[i].Text != step.Text;
            return fromPlaceholder ? step with { Text = step.Text.Replace($"a {ReplacedDriver} client ", $"a {name} client ", StringComparison.Ordinal) } : step;
        }).ToList();
        var arguments = row.ExampleArguments.ToDictionary(p => p.Key, p => p.Key == "client" ? name : p.Value);
        var description = row.ExampleDescription?.Replace($"client={ReplacedDriver}", $"client={name}", StringComparison.Ordinal);
        return new ScenarioCase(row.Id, row.FeaturePath, row.FeatureTitle, row.Area, row.Name, description, row.Line, row.Tags, steps,
            row.FeatureInfo, row.RuleInfo, row.Description, row.DirectTags, arguments, null, row.ScenarioLine);
    }

    /// <summary>
    /// Why <paramref name="scenario"/> does not apply to the adapter it runs with (protocol version or capability not
    /// declared), starting the adapter if needed; null when it applies or does not run with an adapter.
    /// </summary>
    public static async Task<string?> NotApplicableReasonAsync(ConformanceSession session, ScenarioCase scenario)
    {
        if (!IsClientRow(scenario)) return null;
        var name = scenario.ExampleArguments["client"];
        if (!session.Settings.ClientAdapters.Any(a => a.Name == name)) return null;
        AdapterClientDriver driver;
        try { driver = (AdapterClientDriver)await session.Clients.GetAsync(name).ConfigureAwait(false); }
        catch (Exception) { return null; } // an adapter that does not start fails the scenario itself, at its first client step
        return driver.NotApplicableReason(scenario, session.Settings.ProtocolVersion);
    }
}
