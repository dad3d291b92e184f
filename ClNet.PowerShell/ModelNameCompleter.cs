using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Tab completion of model names: New-ClNetModel M&lt;Tab&gt;.</summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ModelCatalog.Names
            .Where(n => n.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, ModelCatalog.Describe(n)));
}
