using Receptionist.Cli;
using Receptionist.Cli.Commands;

return await Cli.RunAsync(args, CliEnvironment.Load, CancellationToken.None);
