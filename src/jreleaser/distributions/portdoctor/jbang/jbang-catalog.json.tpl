{
  "catalogs": {},
  "aliases": {
    "portdoctor": {
      "script-ref": "{{distributionJavaGroupId}}:{{distributionJavaArtifactId}}:{{projectVersion}}",
      "description": "{{projectDescription}}",
      "java": "{{distributionJavaVersion}}+",
      "runtime-options": ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmn8m", "-Xshare:auto", "-Xlog:disable", "-Xlog:all=error:stderr"]
    }
  }
}
