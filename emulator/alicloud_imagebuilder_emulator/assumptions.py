"""Every behaviour the emulator ASSUMES because public material does not settle it.

The constants below are used by the code; :data:`ASSUMPTIONS` explains each choice and is listed
in emulator/README.md (a test checks that the README names every key). Change a behaviour here
and in the README together.
"""

from __future__ import annotations

import re

# -- numbers ------------------------------------------------------------------------------------
PIPELINE_QUOTA = 2000  # image templates per region
COMPONENT_QUOTA = 2000  # image components per region
CONTENT_MAX_BYTES = 16 * 1024  # "16 KB": BuildContent, TestContent, component Content (UTF-8 bytes)
# commands per template content or component (documented; how they count is assumed)
MAX_COMMANDS = 127
COPY_USABLE_DELAY_PHASES = 1  # distributed copies become Usable this many phases after SUCCESS
MAX_EXECUTION_IDS = 20  # ExecutionId comma list of DescribeImagePipelineExecutions
TAG_RESOURCES_PAGE_SIZE = 50  # ListTagResources entries per page (it takes no page size)

# -- outcome rules ------------------------------------------------------------------------------
INTERNET_PROGRAMS = frozenset({
    "yum", "dnf", "apt", "apt-get", "zypper", "apk", "pip", "pip3", "npm", "yarn", "gem", "curl",
    "wget", "git",
})
NO_INTERNET_REASON = "the instance has no internet access (InternetMaxBandwidthOut is 0)"

# -- error codes docs/service-notes.md does not name ---------------------------------------------
CODE_BUILD_FAILED = "BuildCommandFailed"  # ErrorCode of a FAILED build
CODE_TEST_FAILED = "TestCommandFailed"  # ErrorCode of a TEST_FAILED build
CODE_NO_INTERNET = "InstanceNoInternetAccess"  # ErrorCode when a command needed the internet
CODE_PARTITION = "DistributeImageFailed"  # ErrorCode of PARTITION_SUCCESS after a failed copy
# ErrorCode of PARTITION_SUCCESS after a failed release
CODE_RELEASE_FAILED = "ReleaseResourceFailed"
# ECS code for too many tags, used for Tag.N of the Create* calls
CODE_TAG_COUNT = "InvalidTagCount"
# ECS code (RunInstances) for a bad ClientToken
CODE_CLIENT_TOKEN = "InvalidClientToken.ValueNotSupported"
CODE_ACCOUNT_MALFORMED = "InvalidAddAccount.Malformed"
CODE_REPAIR_ITEM = "InvalidRepairItem.NotSupportedValue"

# -- accounts -------------------------------------------------------------------------------------
_EXISTING_ACCOUNT = re.compile(r"^[1-9][0-9]{15}$")
# 16-digit uids starting so are free for tests of an unknown account
UNKNOWN_ACCOUNT_PREFIX = "9999"


def account_exists(account: str) -> bool:
    """Whether an Alibaba Cloud account uid exists (ASSUMPTIONS["share-permission"])."""
    return bool(_EXISTING_ACCOUNT.match(account)) and not account.startswith(UNKNOWN_ACCOUNT_PREFIX)


ASSUMPTIONS: dict[str, str] = {
    "phase-timing": (
        "Each build phase lasts phase_seconds. The home image is made at the middle of BUILDING "
        "(Creating, "
        "ImageId set) and is Available at its end; a failing build command fails the build at the "
        "middle "
        "of BUILDING, before any image exists."
    ),
    "image-id-empty": (
        "ImageId is empty until the home image exists (docs/service-notes.md §5: ASSUMED)."),
    "error-fields": (
        "ErrorCode/ErrorInfo are empty strings until the build ends FAILED, TEST_FAILED or "
        "PARTITION_SUCCESS; "
        f"the codes are {CODE_BUILD_FAILED}, {CODE_TEST_FAILED}, {CODE_NO_INTERNET} (a command "
        "needed the "
        f"internet), {CODE_PARTITION} (a copy failed; it wins when both happen), "
        f"{CODE_RELEASE_FAILED} (the "
        "temporary resources could not be released) and InvalidImageName.Duplicated."
    ),
    "release-failure": (
        "With the release_failure fault on, a build that reaches the end of RELEASING keeps its "
        "intermediate "
        f"instances and transition VPC and ends PARTITION_SUCCESS ({CODE_RELEASE_FAILED}, "
        "ErrorInfo naming them) "
        "while its images, copies and shares are all fine. Source of the outcome: the API "
        "reference says "
        "PARTITION_SUCCESS also covers failing to release temporary resources."
    ),
    "copies": (
        "Distributed copies keep the home image's name, are found by DescribeImages(RegionId, "
        "ImageName, "
        "ImageOwnerAlias=self, Status=Creating,Available), are Creating during DISTRIBUTING, "
        "Available at its "
        f"end and Usable {COPY_USABLE_DELAY_PHASES} phase(s) after the build's SUCCESS. The home "
        "image is "
        "Usable when the build ends. A ToRegionId equal to the home region is ignored; a repeated "
        "one counts "
        "once."
    ),
    "sharing": (
        "With AddAccount, the home image is shared when DISTRIBUTING starts and each copy when it "
        "becomes "
        "Available (DescribeImageSharePermission lists them)."
    ),
    "test-failed": (
        "A failing test command gives TEST_FAILED at the end of TESTING; the image is kept "
        "(Available and "
        "Usable) and nothing is distributed."
    ),
    "intermediate-resources": (
        "A build instance (and a transition VPC when the template has no VSwitchId) is made in "
        "PREPARING, "
        "a test instance when TESTING starts; all are released at the end of RELEASING, on "
        "CANCELLED, and "
        "on FAILED/TEST_FAILED only when DeleteInstanceOnFailure is true."
    ),
    "messages": "The wording of Message at each phase is the emulator's own.",
    "quotas": f"At most {PIPELINE_QUOTA} image templates and {COMPONENT_QUOTA} components per "
    "region (configurable).",
    "content-size": f"16 KB means {CONTENT_MAX_BYTES} bytes of UTF-8.",
    "max-commands": (
        "A COMPONENT line and a YAML task count as one command each; comments and FROM count for "
        "nothing. "
        f"Source of the rest: at most {MAX_COMMANDS} commands per template content or component "
        "(console guide), "
        "more answers 400 InvalidImageTemplateCommandSize.ExceededMaxNumber (CreateImagePipeline "
        "and "
        "CreateImageComponent error tables)."
    ),
    "unnamed-codes": (
        f"Codes of the emulator's own: {CODE_ACCOUNT_MALFORMED} (AddAccount.N not digits), "
        f"{CODE_REPAIR_ITEM}; "
        "any other bad value answers 400 InvalidParameter.<Name> and a missing required one 400 "
        "MissingParameter.<Name> (e.g. MissingParameter.RegionId). Codes documented elsewhere in "
        "Alibaba's "
        "references, used where the action's own reference names none: 400 "
        f"{CODE_TAG_COUNT} (more than 20 Tag.N on CreateImagePipeline/CreateImageComponent/"
        f"StartImagePipelineExecution; ECS Describe*/tag references), 400 {CODE_CLIENT_TOKEN} (a "
        "ClientToken over 64 "
        "characters or not ASCII; RunInstances reference), 403 IncorrectImageStatus (sharing an "
        "image that is "
        "not Available; an older ModifyImageSharePermission reference), 400 DryRunOperation (ECS "
        "references), "
        "404 InvalidAction.NotFound and 400 InvalidVersion (Alibaba Cloud common errors), "
        "InvalidParameter.TestContent for a TestContent over 16 KB, InvalidImageId.NotFound for "
        "DescribeImageSharePermission too."
    ),
    "internet-rule": (
        "Commands needing the internet: " + ", ".join(sorted(INTERNET_PROGRAMS)) + ", COPY of an "
        "http(s)/ftp URL "
        "and the WebDownload task. With InternetMaxBandwidthOut=0 such a command ends its RUN at "
        "once "
        "(even after ||); OSSDownload/OSSUpload/InvokeCommand need no internet."
    ),
    "shell-evaluation": (
        "Only the top level of a RUN is evaluated: simple commands joined by ; && || | & or "
        "newlines, "
        "optional leading !, VAR=value and sudo prefixes skipped; `false` fails, `exit N` ends the "
        "script with N; nothing else fails (bash -c, subshells and if blocks are not looked into)."
    ),
    "command-arguments": (
        "Besides RUN, every command answers EmptyCommandContent.<COMMAND> without content and "
        "InvalidCommandContent.<COMMAND> for malformed arguments (ENV, LABEL, COPY, USER, "
        "CMD/ENTRYPOINT "
        "JSON form). Lines starting with # are comments; command keywords are case-insensitive."
    ),
    "component-references": (
        "COMPONENT lines are resolved when the template is created (a * picks the newest matching "
        "version "
        "then); a component is in use (InvalidImageComponent.InUse) while a template of its region "
        "references it. The acs:ecs ARN must name the template's region and the caller's account."
    ),
    "component-types": (
        "A Build component in TestContent or a Test component in BuildContent answers "
        "InvalidComponentType.NotSupportedValue; a component for another SystemType than the base "
        "image, "
        "or a Windows component in Dockerfile form, answers InvalidSystemType.NotSupportedValue."
    ),
    "component-parameters": (
        "COMPONENT <ref> --name value (or --name=value). Only YAML components declare parameters; "
        "an "
        "unknown, missing or mistyped one answers InvalidParameter.BuildContent or "
        "InvalidParameter.TestContent "
        "(the documented codes for invalid build/test content). Content is YAML when it parses as "
        "a mapping "
        "with Tasks or Parameters; a malformed YAML component (Parameters, Tasks, task "
        "Name/Action/Properties) "
        "answers InvalidParameter.Content (the documented code for invalid component content)."
    ),
    "component-defaults": (
        "A component's Name defaults to its id; ComponentVersion defaults to the next major "
        "version of "
        "that name (1.0.0 first)."
    ),
    "system-components": (
        "DescribeImageComponents Owner=ALIYUN lists Alibaba Cloud's system components "
        "(documented); which ones "
        "is the emulator's choice, the same in every region, each version 1.0.0 and Owner ALIYUN: "
        "aliyun-update-linux, aliyun-install-docker, aliyun-reboot-linux (Build), "
        "aliyun-check-sshd (Test), "
        "aliyun-update-windows (Build, YAML). Templates use them by id (COMPONENT "
        "ic-aliyunsys...); they cannot be "
        "deleted, tagged or moved (InvalidImageComponent.NotFound / InvalidResourceId.NotFound). "
        "Without Owner "
        "only the caller's own components are listed."
    ),
    "template-echo": (
        "DescribeImagePipelines echoes inputs as given: InstanceType and VSwitchId are empty when "
        "not given; "
        "ImageName/ImageFamily/NvmeSupport and their ImageOptions twins both show the effective "
        "value; "
        "ResourceGroupId defaults to rg-emulator-default."
    ),
    "base-image": (
        "BaseImage (IMAGE) is a public image or the caller's Available image of the region; "
        "IMAGE_FAMILY is a public family or the family of the caller's Available images (newest "
        "wins). "
        "Unknown at create: 404 InvalidImage.NotFound. At start: a deleted IMAGE answers "
        "InvalidImagePipeline.BaseImageNotFound, an emptied family InvalidImage.NotFound. Which "
        "base images "
        "the documented create-time codes apply to is assumed: FreeBSD (also "
        "ImportImageOptions.Platform "
        "FreeBSD) gives 400 InvalidImage.OsTypeUnsupported; RepairMode with an arm64 "
        "base image 400 InvalidImage.NotSupportRepair; a Windows base image with an Arm instance "
        "type "
        "(ecs.g8y.large) 403 ImagePipeline.NotSupportWindowsInstance (an older console guide "
        "allowed only Linux "
        "base images; the current references list Windows repair items and components, so Windows "
        "builds run)."
    ),
    "repair-mode": (
        "RepairItem.N without RepairMode answers 404 MissingParameter.RepairMode and a RepairMode "
        "other than "
        "Standard, All or Customized 400 InvalidParameter.RepairMode (documented codes); assumed: "
        "Customized "
        "without RepairItem.N, or RepairItem.N with another mode, 400 InvalidParameterCombination; "
        "an item "
        f"not of the base image's system {CODE_REPAIR_ITEM}."
    ),
    "import-image-options": (
        "BaseImageType OSS: the values and codes of the CreateImagePipeline reference (404 "
        "MissingParameter.ImportImageOptions, MissingParameter.ImageOptionsDiskDeviceMappings, "
        "MissingParameter.ImportImageOptionsDiskDeviceMappingsOSSBucket/OSSObject; 400 "
        "InvalidParameter.ImportImageOptions<Field> for Architecture, OSType, BootMode, Platform, "
        "LicenseType, "
        "FeaturesNvmeSupport, DiskDeviceMappingsFormat, DiskDeviceMappingsOSSBucket, "
        "DiskDeviceMappingsOSSObject; "
        "InvalidImportImageOptionsDiskDeviceMappings.LengthLimitExceeded over 17 disks; "
        "InvalidOperation.DiskImageSizeExceeded outside 1-2048 GiB). Assumed: a bucket name has 3 "
        "to 63 "
        "characters (OSS naming rules); ImportImageOptions with another BaseImageType, or "
        "BaseImage with OSS, "
        "answers 400 InvalidParameterCombination; nothing is fetched from OSS."
    ),
    "name-suffix": (
        "AdvancedOptions.ImageNameSuffix accepts only 'disable' (any case). A name already taken "
        "when the build "
        "makes the image fails the build with InvalidImageName.Duplicated; taken in a target "
        "region, that "
        "copy fails (PARTITION_SUCCESS). Without a prefix the image name is the ExecutionId."
    ),
    "cancel": (
        "CANCELLING lasts one phase; then the images of the build are deleted and its instances "
        "released "
        "whatever DeleteInstanceOnFailure says. A missing or non-exec- id answers 404 "
        "InvalidImagePipelineExecutionId.NotFound, an unknown exec- id 404 "
        "InvalidImagePipelineExecution.NotFound; TESTING, DISTRIBUTING, RELEASING and CANCELLING "
        "answer 403 "
        "InvalidStatus.ImagePipelineExecution; ended builds 400 InvalidStatus.CancelFailed."
    ),
    "client-token": (
        "ClientToken (CreateImagePipeline, CreateImageComponent, StartImagePipelineExecution) is "
        "scoped to "
        "action and region and kept for the life of the emulator (until reset); only a successful "
        "request binds "
        "it. Its parameters are every parameter the action takes except ClientToken, RegionId and "
        "the common "
        "parameters, compared after parsing (an empty value equals an absent one, list order "
        "counts); "
        "StartImagePipelineExecution's are ImagePipelineId and Tag.N. A token whose object was "
        "deleted since "
        "still answers the old id and creates nothing. Source of the rest: the ECS idempotency "
        "guide (same "
        "parameters: the first result; other parameters: 400 IdempotentParameterMismatch, status "
        "from the ECS "
        "error tables)."
    ),
    "ordering": (
        "Listings are newest first; DescribeImages lists custom images newest first, then public "
        "images. "
        "A NextToken is opaque and bound to its listing (another listing's token is "
        "Invalid.NextToken)."
    ),
    "describe-images": (
        "ImageName matches as a case-sensitive substring; ImageOwnerAlias takes one value; Tag.N, "
        "ImageFamily, OSType, Architecture and Usable filter too; the other filters are ignored."
    ),
    "delete-image": (
        "DeleteImage checks, in order: ImageIsCreating, OperationDenied.ImageCopying, "
        "ImageUseShared, "
        "ImageUsingByInstance (Force=true skips only the last). A public image id succeeds as a "
        "no-op."
    ),
    "share-permission": (
        "An account uid exists when it has 16 digits, does not start with 0 and does not start "
        "with "
        f"{UNKNOWN_ACCOUNT_PREFIX} (free for tests of an unknown account). "
        "ModifyImageSharePermission works on "
        "Available images only (403 IncorrectImageStatus) and ignores IsPublic/LaunchPermission. "
        "Source of the "
        "rest (ModifyImageSharePermission reference): accounts past the 10th of AddAccount.N or "
        "RemoveAccount.N "
        "are ignored; the owner's own account answers 404 InvalidAccount.Forbbiden (sic), an "
        "unknown one 404 "
        "InvalidAccount.NotFound; an image is shared with at most 50 accounts (403 "
        "QuotaExceed.ShareImageUser); "
        "an unknown ImageId answers 404 InvalidImageId.NotFound."
    ),
    "signature": (
        "x-acs-date and x-acs-signature-nonce are not checked (no clock skew or replay errors); "
        "host and every "
        "x-acs-* header sent must be signed; an STS token is accepted without checking. The legacy "
        "v2 "
        "(HMAC-SHA1 query) signature is accepted too."
    ),
    "check-order": (
        "A request is checked in order: action and version, signature, faults, region, parameters."
    ),
    "throttling": (
        "Throttling.User and Throttling.Api answer 400 (docs/service-notes.md §4: ASSUMED); a "
        "throttled request gets "
        "Throttling (403) half of the time, Throttling.User or Throttling.Api otherwise; half of "
        "the 403 "
        "Throttling answers carry x-acs-retry-after (100-1000 ms). Errors are 503 "
        "ServiceUnavailable or "
        "500 InternalError, half and half."
    ),
    "execution-ids": (
        "DescribeImagePipelineExecutions takes ExecutionId as a comma list of at most "
        f"{MAX_EXECUTION_IDS} "
        "(InvalidExecutionId.SizeExceeded); TemplateTag is accepted and ignored."
    ),
    "tag-resources": (
        "TagResources, UntagResources, ListTagResources and JoinResourceGroup take ResourceType "
        "imagecomponent "
        "(Terraform's alicloud_ecs_image_component uses it) and image (API reference list); "
        "imagepipeline, like "
        "any unknown type, answers 404 InvalidResourceType.NotFound (no public evidence that "
        "templates can be "
        "tagged after create; Terraform replaces a template on a tag change); the other documented "
        "types (instance, "
        "disk, ...) have no objects here (404 InvalidResourceId.NotFound). Documented in the ECS "
        "reference: "
        "InvalidResourceId.NotFound, MissingParameter.ResourceType, MissingParameter.Tags (404), "
        "NumberExceed.ResourceIds (> 50), NumberExceed.Tags (> 20), Duplicate.TagKey, "
        "InvalidTagKey.Malformed, "
        "InvalidTagValue.Malformed, OperationDenied.QuotaExceed (> 20 tags on a resource), "
        "InvalidParameter.TagValue; for JoinResourceGroup 403 MissingParameter, 404 "
        "InvalidResourceGroup.NotFound "
        "and InvalidResourceId.NotFound. Assumed: no ResourceId.N is 404 "
        "MissingParameter.ResourceIds; one unknown "
        "id fails the whole call and changes nothing; a tagged key gets the new value; untagging "
        "an absent key, or "
        "ListTagResources of an unknown id, is not an error; ListTagResources without "
        "ResourceId.N, Tag.N or "
        "TagFilter.N is 404 MissingParameter.Tags, with Tag.N and TagFilter.N together 400 "
        f"InvalidParameterCombination, and pages {TAG_RESOURCES_PAGE_SIZE} entries (resources "
        "newest first); "
        "TagFilter patterns use * for any text; joining the group a resource is already in is 403 "
        "InvalidResourceGroup.Duplicate."
    ),
    "dry-run": "DryRun=true on DescribeImages, DeleteImage and ModifyImageSharePermission answers "
    "400 DryRunOperation.",
}
