{
    "version": "{{projectVersion}}",
    "description": "{{projectDescription}}",
    "homepage": "{{projectLinkHomepage}}",
    "license": "{{projectLicense}}",
    "url": "{{distributionUrl}}",
    "hash": "{{distributionChecksumSha256}}",
    "extract_dir": "{{distributionArtifactRootEntryName}}",
    "bin": "bin\\portdoctor.cmd",
    "suggest": {
        "JDK": "java/temurin17-jdk"
    },
    "notes": "portdoctor needs Java {{distributionJavaVersion}} or later, found through JAVA_HOME or PATH (for one: scoop bucket add java; scoop install java/temurin17-jdk).",
    "checkver": {
        "github": "{{projectLinkHomepage}}"
    },
    "autoupdate": {
        "url": "{{scoopAutoupdateUrl}}",
        "extract_dir": "{{scoopAutoupdateExtractDir}}",
        "hash": {
            "url": "$url.sha256"
        }
    }
}
