; Inno Setup script: a per-user installer (no administrator rights), optional.
[Setup]
AppName=socdesk
AppVersion=0.1.0
AppPublisher=socdesk
DefaultDirName={localappdata}\Programs\socdesk
DefaultGroupName=socdesk
PrivilegesRequired=lowest
OutputDir=..\build\installer
OutputBaseFilename=socdesk-setup-0.1.0
SetupIconFile=..\resources\socdesk.ico
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"

[Files]
Source: "..\build\dist\socdesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\socdesk"; Filename: "{app}\socdesk.exe"
Name: "{userdesktop}\socdesk"; Filename: "{app}\socdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Skapa en genväg på skrivbordet"; Flags: unchecked
