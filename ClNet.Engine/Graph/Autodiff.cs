namespace ClNet.Engine;

/// <summary>
/// Generates the backward pass: walk the forward nodes that the root depends on in reverse order
/// and give every input on a path from a trainable tensor a gradient tensor. The first backward
/// step that reaches a tensor writes its gradient; every later one (a tensor with several
/// consumers) adds to it.
/// </summary>
internal static class Autodiff
{
    public static List<BackwardNode> Generate(IReadOnlyList<Node> forward, Tensor root, Func<Tensor, Tensor> createGradient,
        IEnumerable<Tensor>? alsoDifferentiate = null)
    {
        var needsGradient = new HashSet<Tensor>(alsoDifferentiate ?? Array.Empty<Tensor>());
        foreach (var node in forward)
        {
            foreach (var input in node.Inputs)
                if (input.IsTrainable) needsGradient.Add(input);
            if (node.Inputs.Any(needsGradient.Contains)) needsGradient.Add(node.Output);
        }

        var contributes = new HashSet<Node>();
        var pending = new Stack<Tensor>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var producer = pending.Pop().Producer;
            if (producer is null || !contributes.Add(producer)) continue;
            foreach (var input in producer.Inputs) pending.Push(input);
        }

        var steps = new List<BackwardNode>();
        for (int n = forward.Count - 1; n >= 0; n--)
        {
            var node = forward[n];
            if (!contributes.Contains(node) || !needsGradient.Contains(node.Output)) continue;
            Tensor? outputGradient = node.Op.IsLoss ? null : node.Output.Gradient;
            if (!node.Op.IsLoss && outputGradient is null) continue;   // its output does not reach the root

            var inputGradients = new Tensor?[node.Inputs.Count];
            var accumulates = new bool[node.Inputs.Count];
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                if (!needsGradient.Contains(input) || !node.Op.HasGradient(node, i)) continue;
                accumulates[i] = input.Gradient is not null;
                input.Gradient ??= createGradient(input);
                inputGradients[i] = input.Gradient;
            }
            steps.Add(new BackwardNode(node, outputGradient, inputGradients, accumulates));
        }
        return steps;
    }
}
