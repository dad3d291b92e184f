#!/usr/bin/env pwsh
# Writes the module's MAML help (en-US/ClNet.PowerShell.dll-Help.xml next to ClNet.psd1) from two sources:
# the words in ClNet.PowerShell/Help/<cmdlet>.psd1 and the syntax and parameter facts of the built cmdlets.
# Run it in a fresh pwsh after a build: it imports the module.
[CmdletBinding()]
param(
    [string] $Root = (Split-Path -Parent $PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $Root 'ClNet.psd1') -Force
$sources = Join-Path $Root 'ClNet.PowerShell/Help'
$target = Join-Path $Root 'en-US/ClNet.PowerShell.dll-Help.xml'
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
New-Item -ItemType Directory -Force (Split-Path $target) | Out-Null
$temporary = "$target.tmp"
$w = [System.Xml.XmlWriter]::Create($temporary, $settings)

function Para([string] $text) {
    foreach ($p in ($text -split "(`r?`n){2,}" | Where-Object { $_.Trim() })) { $w.WriteElementString('maml', 'para', $ns.maml, $p.Trim()) }
}
function Description([string] $text) {
    $w.WriteStartElement('maml', 'description', $ns.maml); Para $text; $w.WriteEndElement()
}
function ParameterElement($p, $set, [string] $text) {
    $attr = if ($set) { $set } else { $p.ParameterSets.Values | Select-Object -First 1 }
    $pipeline = @(if ($attr.ValueFromPipeline) { 'ByValue' }; if ($attr.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
    $w.WriteStartElement('command', 'parameter', $ns.command)
    $w.WriteAttributeString('required', ([string]$attr.IsMandatory).ToLower())
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
    $w.WriteAttributeString('position', $(if ($attr.Position -ge 0) { [string]$attr.Position } else { 'named' }))
    $w.WriteElementString('maml', 'name', $ns.maml, $p.Name)
    Description $text
    $isSwitch = $p.ParameterType -eq [switch]
    $w.WriteStartElement('command', 'parameterValue', $ns.command)
    $w.WriteAttributeString('required', ([string](-not $isSwitch)).ToLower())
    $w.WriteString($p.ParameterType.Name)
    $w.WriteEndElement()
    $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $p.ParameterType.FullName); $w.WriteEndElement()
    $w.WriteEndElement()
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems'); $w.WriteAttributeString('schema', 'maml')
foreach ($cmd in Get-Command -Module ClNet -CommandType Cmdlet | Sort-Object Name) {
    $file = Join-Path $sources "$($cmd.Name).psd1"
    if (-not (Test-Path $file)) { throw "No help source for $($cmd.Name): expected $file" }
    $help = Import-PowerShellDataFile $file
    $parameters = $cmd.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $parameters) { if (-not $help.Parameters[$p.Name]) { throw "$file does not describe parameter -$($p.Name)" } }
    if (-not $help.Examples) { throw "$file has no example" }

    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $w.WriteAttributeString('xmlns', 'command', $null, $ns.command)
    $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $w.WriteStartElement('command', 'details', $ns.command)
    $w.WriteElementString('command', 'name', $ns.command, $cmd.Name)
    Description $help.Synopsis
    $w.WriteElementString('command', 'verb', $ns.command, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $ns.command, $cmd.Noun)
    $w.WriteEndElement()
    Description $help.Description

    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $cmd.Name)
        foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $p = $cmd.Parameters[$sp.Name]
            ParameterElement $p ($p.ParameterSets[$set.Name] ?? $p.ParameterSets['__AllParameterSets']) $help.Parameters[$p.Name]
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $parameters) { ParameterElement $p $null $help.Parameters[$p.Name] }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'returnValues', $ns.command)
    foreach ($t in $cmd.OutputType) {
        $w.WriteStartElement('command', 'returnValue', $ns.command)
        $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $t.Name); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $ns.command)
    $n = 0
    foreach ($example in $help.Examples) {
        $n++
        $w.WriteStartElement('command', 'example', $ns.command)
        $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- Example $n --------------------------")
        $w.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        $w.WriteStartElement('dev', 'remarks', $ns.dev); Para $example.Remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $help.Links) {
        $w.WriteStartElement('maml', 'navigationLink', $ns.maml); $w.WriteElementString('maml', 'linkText', $ns.maml, $link); $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Close()
Move-Item -Force $temporary $target
Write-Host "help: $target"
